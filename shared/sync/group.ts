/**
 * Running one (phase, wave) group (SPEC-sync §1.6) as stages: strip stale hook finalizers, prune (or
 * wait for `Prune=confirm` approval), delete hooks before re-creating them, then apply runs of one kind.
 * Prunes that need no API call get their result at once.
 */
import { applyAction, deleteAction, removeFinalizerAction, stageOf, type Action, type Stage } from './actions.ts';
import { HOOK_FINALIZER } from './hooks.ts';
import { isPending, waitingMessage } from './progress.ts';
import { setResult, type OperationState } from './state.ts';
import { deletesBeforeCreate } from './steps.ts';
import type { SyncPlan, SyncTask } from './types.ts';

/** The stages of a group, or the reason it cannot start (`waiting for pruning confirmation …`). */
export interface GroupRun {
  stages: Stage[];
  blocked?: string;
}

function hasHookFinalizer(task: SyncTask): boolean {
  return task.live?.metadata.finalizers?.includes(HOOK_FINALIZER) ?? false;
}

/** Step 2 for one prune: a result without an API call, or a delete. */
function pruneStep(task: SyncTask, plan: SyncPlan, state: OperationState): Action | undefined {
  if (!plan.settings.prune) setResult(state, task, 'PruneSkipped', 'Succeeded', 'ignored (requires pruning)');
  else if (task.options.prune === 'false') setResult(state, task, 'PruneSkipped', 'Succeeded', 'ignored (no prune)');
  else if (plan.settings.dryRun) setResult(state, task, 'Pruned', 'Succeeded', 'pruned (dry run)');
  else if (task.live?.metadata.deletionTimestamp) setResult(state, task, 'Pruned', 'Succeeded', 'pruned');
  else return deleteAction(task, 'prune', plan.propagationPolicy);
  return undefined;
}

/**
 * An operation-level dry run cannot send a `skipDryRun` task to the server (its namespace or kind is
 * only dry-run created): it says what would happen, without an API call.
 */
function dryRunSkipped(task: SyncTask, state: OperationState): void {
  const would = task.live ? 'would be configured' : 'would be created';
  setResult(state, task, 'Synced', 'Succeeded', `${would} (dry run: ${task.skipDryRunReason ?? 'not sent to the server'})`);
}

/** Consecutive tasks of one kind form a run; the next run starts when the previous one returned. */
function kindRuns(tasks: readonly SyncTask[], dryRun: boolean, purpose: 'apply' | 'dry-run'): Action[][] {
  const runs: Action[][] = [];
  let kind: string | undefined;
  for (const task of tasks) {
    if (task.key.kind !== kind) runs.push([]);
    kind = task.key.kind;
    runs[runs.length - 1].push(applyAction(task, purpose, dryRun));
  }
  return runs;
}

/** The message when prunes wait for `deletion-approved`. */
function confirmationMessage(tasks: readonly SyncTask[]): string {
  const { group, kind, name } = tasks[0].key;
  const more = tasks.length > 1 ? ` and ${tasks.length - 1} more resources` : '';
  return `waiting for pruning confirmation of ${group}/${kind}/${name}${more}`;
}

/** The stages that run one group of tasks. */
export function groupStages(tasks: readonly SyncTask[], plan: SyncPlan, state: OperationState): GroupRun {
  const dryRun = plan.settings.dryRun ?? false;
  const prunes = tasks.filter((t) => t.action === 'prune');
  const unconfirmed = plan.pruneConfirmed ? [] : prunes.filter((t) => t.options.prune === 'confirm');
  if (unconfirmed.length > 0) return { stages: [], blocked: confirmationMessage(unconfirmed) };
  const creates = tasks.filter((t) => t.action !== 'prune' && !(dryRun && t.skipDryRun));
  if (dryRun) tasks.filter((t) => t.action !== 'prune' && t.skipDryRun).forEach((t) => dryRunSkipped(t, state));
  const stale = creates.filter((t) => t.hook && isPending(t, state) && hasHookFinalizer(t)).map((t) => removeFinalizerAction(t, HOOK_FINALIZER));
  const deletes = prunes.map((t) => pruneStep(t, plan, state)).filter((a) => a !== undefined);
  const recreate = dryRun ? [] : creates.filter((t) => isPending(t, state) && deletesBeforeCreate(t));
  return {
    stages: [
      ...stageOf('finalizers', stale),
      ...stageOf('prune', deletes),
      ...stageOf('delete-before-create', recreate.map((t) => deleteAction(t, 'before-hook-creation', plan.propagationPolicy))),
      ...(creates.length ? [{ name: 'apply' as const, batches: kindRuns(creates, dryRun, 'apply') }] : []),
    ],
  };
}

/** The message while hooks are deleted before being re-created. */
export function recreateMessage(tasks: readonly SyncTask[], state: OperationState): string {
  const recreated = tasks.filter((t) => isPending(t, state) && deletesBeforeCreate(t));
  return recreated.length > 0 ? waitingMessage(recreated, true) : 'one or more tasks are running';
}
