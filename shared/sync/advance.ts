/**
 * The heart of a tick (SPEC-sync §1.7 steps 3–11, §2.6): read progress from health, wait on what is
 * running, fail into the SyncFail phase, finish when nothing is left, or run the next (phase, wave)
 * group.
 */
import { deleteAction, removeFinalizerAction, stageOf, type Stage } from './actions.ts';
import type { Conclusion, Settle } from './decision.ts';
import { groupStages, recreateMessage } from './group.ts';
import { HOOK_FINALIZER } from './hooks.ts';
import {
  isCompleted, isPending, isRunning, isSuccessful, prunesBeingDeleted, tasksToWaitOn, updateRunning, waitingMessage, type HealthOf,
} from './progress.ts';
import { withReasons } from './reasons.ts';
import type { OperationState } from './state.ts';
import type { HookDeletePolicy } from '../model/annotations.ts';
import type { SyncPlan, SyncTask } from './types.ts';

/** Timing of the next tick. */
export interface Timing {
  waveDelay: number;
  poll: number;
}

/** Stages plus how they conclude. */
export interface Advance {
  stages: Stage[];
  settle: Settle;
}

const running = (message: string, seconds: number): Conclusion => ({ phase: 'Running', message, seconds });

/** `<message>, reason: <Kind>/<name>: <its message>; …` naming the tasks that completed unsuccessfully. */
function withFailures(message: string, tasks: readonly SyncTask[], state: OperationState): string {
  return withReasons(message, tasks.filter((t) => isCompleted(t, state) && !isSuccessful(t, state)).map((t) => state.results[t.id]));
}

/** Hooks whose live object should go when the operation ends (HookSucceeded / HookFailed). */
function hooksToDelete(tasks: readonly SyncTask[], state: OperationState, policy: HookDeletePolicy, plan: SyncPlan) {
  return tasks
    .filter((t) => t.hook && t.live && !isRunning(t, state) && t.deletePolicies.includes(policy))
    .map((t) => deleteAction(t, 'hook-cleanup', plan.propagationPolicy));
}

/** Step 6: completed hooks lose the hook finalizer. */
function finalizerStage(tasks: readonly SyncTask[], state: OperationState): Stage[] {
  const done = tasks.filter((t) => t.hook && isCompleted(t, state) && t.live?.metadata.finalizers?.includes(HOOK_FINALIZER));
  return stageOf('finalizers', done.map((t) => removeFinalizerAction(t, HOOK_FINALIZER)));
}

/** Step 7 (§2.6): a task failed. Delete HookFailed hooks and run, or wait for, the SyncFail hooks. */
function failure(plan: SyncPlan, state: OperationState, others: SyncTask[], syncFail: SyncTask[], timing: Timing): Advance {
  const cleanup = stageOf('cleanup', hooksToDelete(plan.tasks, state, 'HookFailed', plan));
  const base = withFailures('one or more synchronization tasks completed unsuccessfully', others, state);
  if (syncFail.every((t) => isCompleted(t, state))) {
    const failedHooks = syncFail.filter((t) => !isSuccessful(t, state));
    const message = failedHooks.length > 0 ? `${base}\n${withFailures('one or more SyncFail hooks failed', failedHooks, state)}` : base;
    return { stages: cleanup, settle: { ok: { phase: 'Failed', message } } };
  }
  const start = syncFail.filter((t) => isPending(t, state));
  const run = groupStages(start, plan, state);
  return {
    stages: [...cleanup, ...run.stages],
    settle: {
      ok: running(waitingMessage(start), timing.poll),
      pending: running(recreateMessage(start, state), timing.poll),
      failed: { phase: 'Failed', message: `${base}\none or more SyncFail hooks failed`, reasonsFrom: start.map((t) => t.id) },
    },
  };
}

/** Steps 9–11: run the first pending (phase, wave) group and say how each ending concludes. */
function runGroup(plan: SyncPlan, state: OperationState, pending: SyncTask[], hasSyncFail: boolean, timing: Timing): Advance {
  const { phase, wave } = pending[0];
  const last = pending[pending.length - 1];
  const finalWave = phase === last.phase && wave === last.wave;
  const group = pending.filter((t) => t.phase === phase && t.wave === wave);
  const remaining = pending.filter((t) => t.phase !== phase || t.wave !== wave || t.hook);
  const run = groupStages(group, plan, state);
  if (run.blocked) return { stages: [], settle: { ok: running(run.blocked, timing.poll) } };
  const failedMessage = 'one or more objects failed to apply';
  return {
    stages: [
      ...run.stages,
      ...(remaining.length === 0 ? stageOf('cleanup', hooksToDelete(plan.tasks, state, 'HookSucceeded', plan), 'ok') : []),
      ...stageOf('cleanup', hooksToDelete(plan.tasks, state, 'HookFailed', plan), 'failed'),
    ],
    settle: {
      ok: remaining.length === 0
        ? { phase: 'Succeeded', message: 'successfully synced (all tasks run)' }
        : running(waitingMessage(remaining), finalWave ? timing.poll : timing.waveDelay),
      pending: running(recreateMessage(group, state), timing.poll),
      failed: hasSyncFail
        ? { ...running(failedMessage, 0), reasonsFrom: group.map((t) => t.id) }
        : { phase: 'Failed', message: failedMessage, reasonsFrom: group.map((t) => t.id) },
    },
  };
}

/**
 * Steps 3–11 on the plan's tasks with the persisted results. `fresh` names tasks applied in this
 * very tick (the namespace made before the dry run), whose live object cannot be known yet.
 */
export function advance(plan: SyncPlan, state: OperationState, healthOf: HealthOf, fresh: ReadonlySet<string>, timing: Timing): Advance {
  const tasks = plan.tasks;
  updateRunning(tasks, state, healthOf, fresh);
  const waiting = tasksToWaitOn(tasks, state, fresh);
  if (waiting.length > 0) return { stages: [], settle: { ok: running(waitingMessage(waiting), timing.poll) } };
  const deleting = prunesBeingDeleted(tasks, state);
  if (deleting.length > 0) return { stages: [], settle: { ok: running(waitingMessage(deleting, true), timing.poll) } };
  const finalizers = finalizerStage(tasks, state);
  const syncFail = tasks.filter((t) => t.phase === 'SyncFail');
  const others = tasks.filter((t) => t.phase !== 'SyncFail');
  if (others.some((t) => isCompleted(t, state) && !isSuccessful(t, state))) {
    const failed = failure(plan, state, others, syncFail, timing);
    return { ...failed, stages: [...finalizers, ...failed.stages] };
  }
  const pending = others.filter((t) => isPending(t, state) && !(plan.applyOutOfSyncOnly && t.skipped === 'unchanged'));
  if (pending.length === 0) {
    const cleanup = stageOf('cleanup', hooksToDelete(tasks, state, 'HookSucceeded', plan));
    return { stages: [...finalizers, ...cleanup], settle: { ok: { phase: 'Succeeded', message: 'successfully synced (no more tasks)' } } };
  }
  const group = runGroup(plan, state, pending, syncFail.length > 0, timing);
  return { ...group, stages: [...finalizers, ...group.stages] };
}
