/**
 * `completeTick`: record what the stages of a tick did (SPEC-sync §1.6 results) and conclude the
 * tick: the operation's phase and message, and when to tick again.
 */
import type { Action, ActionOutcome, Outcomes } from './actions.ts';
import type { Conclusion, Next, TickDecision } from './decision.ts';
import { cut, MAX_OPERATION_MESSAGE, withoutSecretValues, withReasons } from './reasons.ts';
import { runStateOf } from './run.ts';
import { cloneState, isFinal, setResult, type OperationState } from './state.ts';
import type { SyncPlan, SyncTask } from './types.ts';

/** Record one action's outcome on its task's result. */
function record(state: OperationState, task: SyncTask, action: Action, outcome: ActionOutcome, plan: SyncPlan): void {
  const message = withoutSecretValues(outcome.message ?? '', task.target, task.live);
  const applied = plan.settings.dryRun ? 'Succeeded' : 'Running';
  const status = state.results[task.id]?.status ?? '';
  switch (action.purpose) {
    case 'create-namespace':
    case 'apply':
      if (outcome.ok) setResult(state, task, 'Synced', applied, message);
      else setResult(state, task, 'SyncFailed', 'Failed', message);
      return;
    case 'dry-run':
      if (!outcome.ok) setResult(state, task, 'SyncFailed', 'Failed', message);
      else if (plan.settings.dryRun) setResult(state, task, 'Synced', 'Succeeded', message);
      return;
    case 'prune':
      if (outcome.ok) setResult(state, task, 'Pruned', 'Succeeded', 'pruned');
      else setResult(state, task, 'SyncFailed', 'Failed', message);
      return;
    case 'terminate':
      setResult(state, task, status, outcome.ok ? 'Succeeded' : 'Failed', outcome.ok ? 'Deleted' : `failed to delete: ${message}`);
      return;
    case 'finalizer':
      if (!outcome.ok) setResult(state, task, status, 'Error', `failed to remove hook finalizer: ${message}`);
      return;
    default:
      if (!outcome.ok) setResult(state, task, '', 'Error', `failed to delete resource: ${message}`);
  }
}

/** The conclusion when the namespace or the dry run of the first tick failed (no SyncFail hooks). */
function prefixFailure(decision: TickDecision, outcomes: Outcomes): Conclusion | undefined {
  const failed = (name: string) => decision.stages.filter((s) => s.name === name).flatMap((s) => s.batches.flat()).filter((a) => outcomes[a.id]?.ok === false);
  const ns = failed('create-namespace');
  if (ns.length > 0) return { phase: 'Failed', message: 'the namespace failed to apply', reasonsFrom: ns.map((a) => a.taskId) };
  const dry = failed('dry-run');
  if (dry.length > 0) return { phase: 'Failed', message: 'one or more objects failed to apply (dry run)', reasonsFrom: dry.map((a) => a.taskId) };
  return undefined;
}

function conclusion(decision: TickDecision, outcomes: Outcomes): Conclusion {
  const prefix = prefixFailure(decision, outcomes);
  if (prefix) return prefix;
  const { settle } = decision;
  if (settle.errorOnAnyFailure && Object.values(outcomes).some((o) => !o.ok)) return settle.errorOnAnyFailure;
  const run = runStateOf(decision.stages, outcomes);
  if (run === 'failed') return settle.failed ?? settle.ok;
  return run === 'pending' ? settle.pending ?? settle.ok : settle.ok;
}

/** The conclusion's message, naming the tasks of `reasonsFrom` that failed (in plan order), cut to size. */
function messageOf(c: Conclusion, state: OperationState, plan: SyncPlan): string {
  const from = new Set(c.reasonsFrom ?? []);
  const failed = plan.tasks.filter((t) => from.has(t.id)).map((t) => state.results[t.id]).filter((r) => r?.status === 'SyncFailed');
  return cut(withReasons(c.message, failed), MAX_OPERATION_MESSAGE);
}

/**
 * Record the outcomes of a tick's stages and conclude it.
 * @param now unix seconds, recorded as `finishedAt` when the operation ends.
 */
export function completeTick(decision: TickDecision, outcomes: Outcomes, now: number): { state: OperationState; next: Next } {
  const state = cloneState(decision.state);
  if (isFinal(state.phase)) return { state, next: { kind: 'done', phase: state.phase } };
  const tasks = new Map(decision.plan.tasks.map((t) => [t.id, t]));
  for (const action of decision.stages.flatMap((s) => s.batches.flat())) {
    const outcome = outcomes[action.id];
    const task = tasks.get(action.taskId);
    if (outcome && task) record(state, task, action, outcome, decision.plan);
  }
  const c = conclusion(decision, outcomes);
  state.phase = c.phase;
  state.message = messageOf(c, state, decision.plan);
  if (isFinal(c.phase)) {
    state.finishedAt = now;
    return { state, next: { kind: 'done', phase: c.phase } };
  }
  return { state, next: { kind: 'wait', seconds: c.seconds ?? 0 } };
}
