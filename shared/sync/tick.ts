/**
 * `tick`: one run of the sync state machine (SPEC-sync §1.7) as a pure function. Each Step Functions
 * iteration calls it with the manifests, the live objects (with their health) and the persisted
 * operation state; it re-plans, and answers with the stages to run now and how to conclude.
 * Then `runStages` performs them and `completeTick` records the outcomes. Resumable from the
 * persisted state alone.
 */
import type { HealthStatus } from '../health/types.ts';
import { keyString, type KubeObject } from '../model/object.ts';
import { applyAction, stageOf, type Stage } from './actions.ts';
import { advance, type Timing } from './advance.ts';
import { DEFAULT_POLL, DEFAULT_WAVE_DELAY, type Conclusion, type TickDecision, type TickOptions } from './decision.ts';
import { planSync } from './plan.ts';
import type { HealthOf } from './progress.ts';
import { liveKey } from './resolve.ts';
import { cloneState, isFinal, setResult, settingsFor, type OperationState } from './state.ts';
import { deletesBeforeCreate } from './steps.ts';
import { terminateDecision } from './terminate.ts';
import type { SyncPlan, SyncPlanInput } from './types.ts';

/** A live object with its health (shared/health `healthOf`; null = the kind has no health check). */
export interface LiveObject {
  object: KubeObject;
  health: HealthStatus | null;
}

/** Inputs of one tick: the plan's inputs, live objects with health, and the persisted state. */
export interface TickInput extends Omit<SyncPlanInput, 'live'> {
  live: readonly LiveObject[];
  /** The persisted state; a new operation starts from `startOperation(revision, now)`. */
  state: OperationState;
  options?: TickOptions;
}

function healthLookup(live: readonly LiveObject[]): HealthOf {
  const byKey = new Map(live.map((l) => [keyString(liveKey(l.object)), l.health]));
  return (task) => (task.live ? byKey.get(keyString(liveKey(task.live))) ?? null : null);
}

/** §1.1 step 4 and FailOnSharedResource: fail before anything runs, without SyncFail hooks. */
function invalid(plan: SyncPlan, state: OperationState): Conclusion | undefined {
  if (plan.sharedResourceError) return { phase: 'Failed', message: plan.sharedResourceError };
  if (plan.errors.length === 0) return undefined;
  for (const error of plan.errors) {
    for (const task of plan.tasks) {
      if (error.key && keyString(error.key) === keyString(task.key)) setResult(state, task, 'SyncFailed', 'Failed', error.message);
    }
  }
  return { phase: 'Failed', message: `one or more synchronization tasks are not valid: ${plan.errors.map((e) => e.message).join(', ')}` };
}

/**
 * First tick only (no results yet): make the namespace (CreateNamespace), then dry-run every task
 * that can be (not prunes, not skipDryRun, not hooks about to be deleted and re-created, not
 * unchanged tasks under ApplyOutOfSyncOnly). The namespace counts as applied for the rest of the tick.
 */
function firstTick(plan: SyncPlan, state: OperationState, fresh: Set<string>): Stage[] {
  if (Object.keys(state.results).length > 0) return [];
  const dryRun = plan.settings.dryRun ?? false;
  const nsTask = plan.tasks.find((t) => t.id === plan.namespaceTaskId);
  const stages: Stage[] = [];
  if (nsTask) {
    stages.push(...stageOf('create-namespace', [applyAction(nsTask, 'create-namespace', dryRun)]));
    setResult(state, nsTask, 'Synced', dryRun ? 'Succeeded' : 'Running');
    fresh.add(nsTask.id);
  }
  const dry = plan.tasks.filter((t) => t !== nsTask && t.action !== 'prune' && !t.skipDryRun && !deletesBeforeCreate(t)
    && !(plan.applyOutOfSyncOnly && t.skipped === 'unchanged'));
  stages.push(...stageOf('dry-run', dry.map((t) => applyAction(t, 'dry-run', true))));
  return stages;
}

/**
 * Decide what to do now.
 * @example
 * const decision = tick({ desired, live, settings, state });
 * const outcomes = await runStages(decision.stages, perform);
 * const { state, next } = completeTick(decision, outcomes, nowSeconds);
 */
export function tick(input: TickInput): TickDecision {
  const state = cloneState(input.state);
  const plan = planSync({ ...input, live: input.live.map((l) => l.object), settings: settingsFor(input.settings, state) });
  const timing: Timing = { waveDelay: input.options?.waveDelaySeconds ?? DEFAULT_WAVE_DELAY, poll: input.options?.pollSeconds ?? DEFAULT_POLL };
  const healthOf = healthLookup(input.live);
  if (isFinal(state.phase)) return { state, plan, stages: [], settle: { ok: { phase: state.phase, message: state.message } } };
  if (state.phase === 'Terminating') return terminateDecision(plan, state, healthOf);
  const failed = invalid(plan, state);
  if (failed) return { state, plan, stages: [], settle: { ok: failed } };
  const fresh = new Set<string>();
  const prefix = firstTick(plan, state, fresh);
  const main = advance(plan, state, healthOf, fresh, timing);
  return { state, plan, stages: [...prefix, ...main.stages], settle: main.settle };
}
