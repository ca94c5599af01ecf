/**
 * Reading progress from the cluster (SPEC-sync §1.7 steps 3–5, §2.5): Running tasks become Succeeded
 * or Failed from the health of their live object; the tick waits on what is still running, and on
 * pruned objects that are still being deleted.
 */
import type { HealthStatus } from '../health/types.ts';
import { setResult, type OperationPhase, type OperationState } from './state.ts';
import type { SyncTask } from './types.ts';

/** Health of live objects by task id; null = the kind has no health check. */
export type HealthOf = (task: SyncTask) => HealthStatus | null;

/** The task's own state, from its result ("" = pending). */
function taskPhase(task: SyncTask, state: OperationState): OperationPhase | '' {
  return state.results[task.id]?.hookPhase ?? '';
}

export const isRunning = (t: SyncTask, s: OperationState) => taskPhase(t, s) === 'Running';
export const isPending = (t: SyncTask, s: OperationState) => taskPhase(t, s) === '';
export const isCompleted = (t: SyncTask, s: OperationState) => ['Succeeded', 'Failed', 'Error'].includes(taskPhase(t, s));
export const isSuccessful = (t: SyncTask, s: OperationState) => taskPhase(t, s) === 'Succeeded';

/**
 * A hook's state from health (§2.5): no check or Healthy → Succeeded; Degraded or Unknown → Failed;
 * Progressing or Suspended → Running.
 */
export function hookOutcome(task: SyncTask, health: HealthStatus | null): { phase: OperationPhase; message: string } {
  const created = `${task.key.name} created`;
  if (health === null) return { phase: 'Succeeded', message: created };
  switch (health.status) {
    case 'Degraded':
    case 'Unknown':
      return { phase: 'Failed', message: health.message ?? '' };
    case 'Progressing':
    case 'Suspended':
      return { phase: 'Running', message: health.message ?? '' };
    default:
      return { phase: 'Succeeded', message: health.message || created };
  }
}

/** Step 3: update Running tasks that have a live object (prunes are never Running). */
export function updateRunning(tasks: readonly SyncTask[], state: OperationState, healthOf: HealthOf, fresh: ReadonlySet<string>): void {
  for (const task of tasks) {
    if (!task.live || fresh.has(task.id) || !isRunning(task, state)) continue;
    const status = state.results[task.id].status;
    const health = healthOf(task);
    if (task.hook) {
      const { phase, message } = hookOutcome(task, health);
      setResult(state, task, status, phase, message);
    } else if (health === null || health.status === 'Healthy') {
      setResult(state, task, status, 'Succeeded', health?.message);
    } else if (health.status === 'Degraded') {
      setResult(state, task, status, 'Failed', health.message);
    }
  }
}

/** Whether the tasks span more than one (phase, wave): then every running task is waited on. */
function isMultiStep(tasks: readonly SyncTask[]): boolean {
  if (tasks.length === 0) return false;
  const first = tasks[0];
  const last = tasks[tasks.length - 1];
  return first.phase !== last.phase || first.wave !== last.wave;
}

/**
 * Step 4: the tasks to wait on (every running task when multi-step, else running hooks). One whose
 * live object vanished fails instead (SyncFailed/Error).
 */
export function tasksToWaitOn(tasks: readonly SyncTask[], state: OperationState, fresh: ReadonlySet<string>): SyncTask[] {
  const multiStep = isMultiStep(tasks);
  const waiting: SyncTask[] = [];
  for (const task of tasks) {
    if (!(multiStep || task.hook) || !isRunning(task, state)) continue;
    if (!task.live && !fresh.has(task.id)) {
      const { group, kind, name } = task.key;
      setResult(state, task, 'SyncFailed', 'Error', `Resource ${group}/${kind}/${name} is missing, it might have been deleted`);
      continue;
    }
    waiting.push(task);
  }
  return waiting;
}

/** Step 5: pruned objects still being deleted (finalizers). */
export function prunesBeingDeleted(tasks: readonly SyncTask[], state: OperationState): SyncTask[] {
  return tasks.filter((t) => state.results[t.id]?.status === 'Pruned' && t.live?.metadata.deletionTimestamp);
}

/**
 * The message of a wait: `waiting for healthy state of g/k/n`, `waiting for completion of hook
 * g/k/n`, `waiting for deletion of [hook] g/k/n`, with ` and N more resources|hooks`.
 */
export function waitingMessage(tasks: readonly SyncTask[], deletion = false): string {
  const first = tasks[0];
  let what = first.hook ? 'completion of hook' : 'healthy state of';
  if (deletion) what = first.hook ? 'deletion of hook' : 'deletion of';
  const more = tasks.length > 1 ? ` and ${tasks.length - 1} more ${first.hook ? 'hooks' : 'resources'}` : '';
  return `waiting for ${what} ${first.key.group}/${first.key.kind}/${first.key.name}${more}`;
}
