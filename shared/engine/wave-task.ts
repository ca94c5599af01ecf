/**
 * The apply-wave and check-wave tasks: ONE bounded, idempotent step of the sync (DESIGN.md, state
 * machine). In order: renew the lease and check the fence (a stale holder stops before any write);
 * re-read the plan document, the app → project → cluster binding, the recorded operation state and
 * the live objects; call the pure tick; act on it or only record what it saw (loop.ts); record the
 * new state, fenced; answer the phase loop's Choice. A re-run after a crash starts again from the
 * record and the cluster, never from memory.
 */
import { keyString } from '../model/object.ts';
import { TransientClusterError, type ClusterClient } from '../kube/index.ts';
import type { LockGuard } from '../store/ports.ts';
import { LockLostError } from '../store/errors.ts';
import { completeTick } from '../sync/complete.ts';
import type { TickDecision } from '../sync/decision.ts';
import { tick, type LiveObject } from '../sync/tick.ts';
import type { OperationState } from '../sync/state.ts';
import type { WaveTaskInput, WaveTaskResult } from './contracts.ts';
import { runDecision } from './act.ts';
import { liveKeyOf } from './live.ts';
import { assertSameCluster, BindingError, loadBinding, type Binding } from './binding.ts';
import { leaseOf, nowOf, type EngineDeps } from './deps.ts';
import { abortedState, classify, loopStep, observedState, statusAfter, STOPPED_ON_ERROR, type TaskMode } from './loop.ts';
import { loadEngineResult, operationRecord, operationSummary, type EngineResult } from './operation-record.ts';
import { performAction } from './perform.ts';
import { withChildApplications } from './child-apps.ts';
import { childrenQueuedBehind } from './yield-to-children.ts';
import { childExecutionName } from './execution-names.ts';
import { childHealthOptions } from '../model/child-apps.ts';
import { readPlan, type PlanDocument } from './plan-document.ts';
import { hasApplied, supersededBy, supersededState, type LatestRequest } from './supersede.ts';
import { planInputOf, readLive, settleCreating, tickRefs } from './tick-input.ts';
import { generationLags, MIN_CHECK_SECONDS, nextCheckSeconds } from './next-check.ts';
import { writerUserAgent } from './lease-agent.ts';
import { statusRetryNotes, taskRetryNote, writeRetryNote, type RetryNoteContext } from './retry-note.ts';
import type { KubeObject } from '../model/object.ts';

interface TaskContext {
  deps: EngineDeps;
  input: WaveTaskInput;
  guard: LockGuard;
  plan: PlanDocument;
  result: EngineResult;
}

/**
 * Runs one apply (or check) task of a phase loop.
 * @example const tick = await runWaveTask(deps, { app, cluster, syncId, planKey, owner, fence, phase: 'Sync' }, 'apply');
 */
export async function runWaveTask(deps: EngineDeps, input: WaveTaskInput, mode: TaskMode): Promise<WaveTaskResult> {
  const guard: LockGuard = { cluster: input.cluster, owner: input.owner, fence: input.fence };
  try {
    await deps.store.renew(guard, { leaseMs: leaseOf(deps) });
    const plan = await readPlan(deps.blobs, input.planKey, { app: input.app, syncId: input.syncId });
    const ctx: TaskContext = { deps, input, guard, plan, result: await loadEngineResult(deps.store, plan, input.owner, input.fence) };
    if (ctx.result.superseded) return answer('phaseDone', undefined, ctx.result.state.message);
    const newer = hasApplied(ctx.result) ? undefined : await supersededBy(deps.blobs, plan);
    if (newer) return await supersede(ctx, newer);
    let binding: Binding;
    try {
      binding = await loadBinding(deps.store, input.app);
      assertSameCluster(binding, input.cluster, plan.cluster);
    } catch (error) {
      if (!(error instanceof BindingError)) throw error;
      return await stop(ctx, error.message);
    }
    return await step(ctx, binding, mode).catch(async (error: unknown) => {
      // Thrown for the state machine's Retry: the status says so until the step runs again.
      if (error instanceof TransientClusterError) await writeRetryNote(noteContext(ctx), taskRetryNote(error), { code: error.code, gaveUp: true });
      throw error;
    });
  } catch (error) {
    if (error instanceof LockLostError) return { status: 'failed', message: error.message };
    throw error;
  }
}

function noteContext(ctx: TaskContext): RetryNoteContext {
  return { deps: ctx.deps, plan: ctx.plan, guard: ctx.guard, result: () => ctx.result };
}

async function step(ctx: TaskContext, binding: Binding, mode: TaskMode): Promise<WaveTaskResult> {
  const { deps, plan, input } = ctx;
  const connected = await deps.connect(binding.cluster, { purpose: 'deploy', syncId: plan.syncId });
  // Every request names the writer lease it is made under, in the cluster's audit log.
  // A transient failure being retried shows on the Application's status: what failed, when it tries again.
  const onRetry = statusRetryNotes(noteContext(ctx));
  const kube = withChildApplications(connected.as?.(writerUserAgent(ctx.guard, plan.syncId), { onRetry }) ?? connected, deps, binding);
  const planInput = await planInputOf(kube, plan, binding);
  const recorded = ctx.result.state;
  const live = await readLive(kube, tickRefs(planInput, recorded, plan.liveRefs), childHealthOptions(binding.app));
  const before = settleCreating(recorded, live);
  const decision = tick({ ...planInput, live, state: before, ...(deps.tickOptions ? { options: deps.tickOptions } : {}) });
  const situation = classify(decision, before);
  const next = loopStep(situation, input.phase, mode, before);
  const wave = situation.kind === 'group' ? situation.wave : undefined;
  if (next.do === 'observe') {
    const observed = observedState(before, decision);
    if (next.status === 'progressing' && input.phase !== 'SyncFail') {
      const queued = await childrenQueuedBehind(deps.store, input.cluster, stillPending(live));
      const yielded = queued.length > 0 ? await yieldToChildren(ctx, queued, observed, { decision, live, wave }) : undefined;
      if (yielded) return yielded;
    }
    await save(ctx, observed, decision, live, wave);
    const message = decision.state.message || before.message;
    // Argo CD pauses 2 s between waves; here the next wave waits only until the controllers caught up.
    const lagging = next.status === 'waveDone' ? live.filter((l) => applied(before, l) && generationLags(l.object)) : [];
    if (lagging.length > 0) return answer('progressing', wave, `waiting for the controllers to observe ${lagging.length} object(s)`, MIN_CHECK_SECONDS);
    return answer(next.status, wave, message, next.status === 'progressing' ? nextCheckSeconds(stillPending(live), nowOf(deps) / 1000) : undefined);
  }
  if (next.do === 'abort') return stop(ctx, STOPPED_ON_ERROR);
  const state = await act(ctx, kube, decision, live, wave);
  // Right after an apply: check at once (a ConfigMap wave is done by then).
  return answer(statusAfter(state, decision.plan.tasks, input.phase), wave, state.message, 0);
}

/** Live objects of tasks this operation applied. */
function applied(state: OperationState, live: LiveObject): boolean {
  const key = keyString(liveKeyOf(live.object));
  return Object.values(state.results).some((r) => keyString({ group: r.group, kind: r.kind, namespace: r.namespace, name: r.name }) === key);
}

/** The live objects a progressing wave still waits on. */
function stillPending(live: readonly LiveObject[]): KubeObject[] {
  return live.filter((l) => l.health !== null && l.health.status !== 'Healthy').map((l) => l.object);
}

async function act(ctx: TaskContext, kube: ClusterClient, decision: TickDecision, live: readonly LiveObject[], wave?: number): Promise<OperationState> {
  const outcomes = await runDecision(decision, (action) => performAction(kube, action), (creating) => save(ctx, creating, decision, live, wave));
  const { state } = completeTick(decision, outcomes, Math.floor(nowOf(ctx.deps) / 1000));
  await save(ctx, state, decision, live, wave);
  return state;
}

/**
 * Gives the sync's place in the writer's round back to the children queued behind it: parked in the
 * queue (the next round resumes it under a new execution name), the wait recorded on the operation.
 * A newer request of the app that replaced this one supersedes it instead; undefined when the sync
 * is no longer in the queue at all (it then waits where it is).
 */
async function yieldToChildren(ctx: TaskContext, queued: string[], state: OperationState, seen: { decision: TickDecision; live: readonly LiveObject[]; wave?: number }): Promise<WaveTaskResult | undefined> {
  const { deps, input } = ctx;
  const resumes = await deps.store.parkPending(input.cluster, input.app, input.syncId);
  if (resumes === undefined) {
    const newer = await deps.store.getPending(input.cluster, input.app);
    return newer ? supersede(ctx, newer) : undefined;
  }
  const message = `waiting for child Application${queued.length > 1 ? 's' : ''} ${queued.join(', ')}, queued on this cluster: its writer runs them in its next round, and this sync resumes beside them`;
  ctx.result = { ...ctx.result, execution: childExecutionName(input.syncId, input.fence, resumes) };
  await save(ctx, { ...state, message }, seen.decision, seen.live, seen.wave);
  deps.log?.('info', 'sync gave its place to its queued children', { app: input.app, syncId: input.syncId, children: queued, resumes });
  return answer('yield', seen.wave, message);
}

/** Ends the operation without acting (binding gone, an error outside the tick): Failed, recorded. */
async function stop(ctx: TaskContext, message: string): Promise<WaveTaskResult> {
  const state = abortedState(ctx.result.state, message, Math.floor(nowOf(ctx.deps) / 1000));
  await save(ctx, state);
  return answer(ctx.input.phase === 'SyncFail' ? 'phaseDone' : 'failed', undefined, message);
}

/**
 * Ends, before it applies anything, an operation a newer sync of the app supersedes: recorded (fenced),
 * but the status is left to the newer sync; every phase then answers `phaseDone` up to the record task.
 */
async function supersede(ctx: TaskContext, newer: LatestRequest): Promise<WaveTaskResult> {
  const state = supersededState(ctx.result.state, newer, Math.floor(nowOf(ctx.deps) / 1000));
  ctx.result = { ...ctx.result, state, superseded: newer.syncId };
  await ctx.deps.store.putOperation(operationRecord(ctx.plan, ctx.result), ctx.guard);
  ctx.deps.log?.('info', 'sync superseded by a newer one', { app: ctx.plan.app, syncId: ctx.plan.syncId, newer: newer.syncId });
  return answer('phaseDone', undefined, state.message);
}

/** Records the operation state (fenced) and its summary on the Application's status. */
async function save(ctx: TaskContext, state: OperationState, decision?: TickDecision, live?: readonly LiveObject[], wave?: number): Promise<void> {
  const health = { ...ctx.result.health };
  if (decision && live) {
    const byKey = new Map(live.map((l) => [keyString(liveKeyOf(l.object)), l.health]));
    for (const task of decision.plan.tasks) {
      const seen = byKey.get(keyString(task.key));
      if (seen !== undefined) health[task.id] = seen;
    }
  }
  ctx.result = { ...ctx.result, state, health, loop: { phase: ctx.input.phase, ...(wave !== undefined ? { wave } : {}) } };
  const record = operationRecord(ctx.plan, ctx.result);
  await ctx.deps.store.putOperation(record, ctx.guard);
  await ctx.deps.store.writeStatus(ctx.plan.app, { operationState: operationSummary(record) }, ctx.guard);
}

function answer(status: WaveTaskResult['status'], wave: number | undefined, message: string, nextCheck?: number): WaveTaskResult {
  return {
    status, ...(wave !== undefined ? { wave } : {}), ...(message ? { message: message.slice(0, 500) } : {}),
    ...(status === 'progressing' ? { nextCheckSeconds: nextCheck ?? MIN_CHECK_SECONDS } : {}),
  };
}
