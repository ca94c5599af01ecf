/**
 * Terminating an operation (SPEC-sync §1.8): on the next tick, strip hook finalizers, delete hooks
 * still running or carrying HookFailed, mark the rest Failed `Terminated`; the operation ends Failed
 * `Operation terminated`, or Error when a delete failed.
 */
import { deleteAction, removeFinalizerAction, stageOf, type Action } from './actions.ts';
import type { TickDecision } from './decision.ts';
import { HOOK_FINALIZER } from './hooks.ts';
import { hookOutcome, type HealthOf } from './progress.ts';
import { setResult, type OperationState } from './state.ts';
import type { SyncPlan } from './types.ts';

/** Ask for an operation to be terminated (only a running one can be). */
export function requestTermination(state: OperationState): OperationState {
  if (state.phase !== 'Running') return state;
  return { ...state, phase: 'Terminating', message: 'terminating', terminated: true };
}

/** The tick of a Terminating operation. */
export function terminateDecision(plan: SyncPlan, state: OperationState, healthOf: HealthOf): TickDecision {
  const finalizers: Action[] = [];
  const deletes: Action[] = [];
  for (const task of plan.tasks) {
    if (!task.hook || !task.live) continue;
    if (task.live.metadata.finalizers?.includes(HOOK_FINALIZER)) finalizers.push(removeFinalizerAction(task, HOOK_FINALIZER));
    const { phase, message } = hookOutcome(task, healthOf(task));
    if (phase === 'Running') deletes.push(deleteAction(task, 'terminate', plan.propagationPolicy));
    else if (phase === 'Failed' && task.deletePolicies.includes('HookFailed')) deletes.push(deleteAction(task, 'hook-cleanup', plan.propagationPolicy));
    if (phase !== 'Running') setResult(state, task, state.results[task.id]?.status ?? '', phase, message);
  }
  const deleted = new Set(deletes.map((d) => d.taskId));
  for (const [id, result] of Object.entries(state.results)) {
    if (result.hookPhase === 'Running' && !deleted.has(id)) state.results[id] = { ...result, hookPhase: 'Failed', message: 'Terminated' };
  }
  return {
    state, plan,
    stages: [...stageOf('finalizers', finalizers), ...stageOf('terminate', deletes)],
    settle: {
      ok: { phase: 'Failed', message: 'Operation terminated' },
      errorOnAnyFailure: { phase: 'Error', message: 'Operation termination had errors' },
    },
  };
}
