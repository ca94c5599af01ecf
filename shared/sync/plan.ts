/**
 * `planSync`: the whole planner (SPEC-sync §1.1–§1.5, §2, §3) as one pure function of the rendered
 * manifests, the live objects and the operation's settings. Every tick re-plans from the same inputs,
 * so the plan must be deterministic: the same inputs in any order give the same tasks in the same order.
 */
import { syncOptionsOf } from '../model/annotations.ts';
import { keyString } from '../model/object.ts';
import { trackingOf } from '../model/tracking.ts';
import { createNamespaceTask, namespaceFirst } from './namespace.ts';
import { appOptions, isPruneConfirmed, propagationPolicy } from './options.ts';
import { sortTasks } from './order.ts';
import { resolveContext } from './resolve.ts';
import { buildTasks, type TaskContext } from './tasks.ts';
import type { SyncPlan, SyncPlanInput, SyncTask } from './types.ts';
import { sharedResources, skipDryRunInNewNamespaces, validateTasks } from './validate.ts';
import { applyPruneLast, reversePruneWaves } from './waves.ts';

function planContext(input: SyncPlanInput): TaskContext {
  const settings = input.settings;
  return { ...resolveContext(input.desired, settings.destinationNamespace), settings, app: appOptions(settings) };
}

/** Set each task's result key and report tasks that would share one (e.g. colliding generateName hooks). */
function assignIds(tasks: readonly SyncTask[], ctx: TaskContext): void {
  const seen = new Set<string>();
  for (const task of tasks) {
    task.id = `${keyString(task.key)}:${task.phase}`;
    if (seen.has(task.id)) {
      const hint = task.hook ? ' (hooks with the same generateName collide in a phase: give each its own generateName or a name)' : '';
      ctx.errors.push({ key: task.key, message: `two ${task.phase} tasks would both be ${keyString(task.key)}${hint}` });
    }
    seen.add(task.id);
  }
}

/** Put the CreateNamespace task first: PreSync, at the lowest wave of the plan. */
function placeNamespaceTask(tasks: SyncTask[], nsTask: SyncTask | undefined): SyncTask[] {
  if (!nsTask) return tasks;
  nsTask.wave = Math.min(0, ...tasks.map((t) => t.wave));
  return [nsTask, ...tasks];
}

/** Mark unmodified resources that ApplyOutOfSyncOnly will not apply. */
function markUnchanged(tasks: readonly SyncTask[], input: SyncPlanInput): void {
  for (const task of tasks) {
    if (!task.hook && task.action === 'apply' && task.target && task.live && input.isModified?.(task.key) === false) task.skipped = 'unchanged';
  }
}

/**
 * Plan a sync.
 * @example
 * const plan = planSync({ desired, live, settings: { appInstance: 'guestbook', destinationNamespace: 'default',
 *   prune: false, revision: 'abc1234def', startedAt: 1700000000 } });
 * toPlanSteps(plan); // the steps of `gitwave plan -o json`
 */
export function planSync(input: SyncPlanInput): SyncPlan {
  const ctx = planContext(input);
  const { tasks, live } = buildTasks(input, ctx);
  const nsTask = createNamespaceTask(tasks, live, ctx);
  validateTasks(nsTask ? [...tasks, nsTask] : tasks, input, ctx);
  reversePruneWaves(tasks);
  applyPruneLast(tasks, ctx.app);
  const ordered = placeNamespaceTask(sortTasks(tasks, ctx.destinationNamespace), nsTask);
  assignIds(ordered, ctx);
  const first = nsTask && !nsTask.live ? nsTask : namespaceFirst(ordered, ctx);
  skipDryRunInNewNamespaces(ordered, input.settings.dryRun ? undefined : first?.id);
  const applyOutOfSyncOnly = ctx.app.get('ApplyOutOfSyncOnly') === 'true';
  if (applyOutOfSyncOnly) markUnchanged(ordered, input);
  warnIgnoredOptions(ordered, ctx);
  return {
    settings: input.settings, tasks: ordered, errors: ctx.errors, warnings: ctx.warnings,
    sharedResourceError: sharedResourceError(ordered, ctx),
    propagationPolicy: propagationPolicy(ctx.app), applyOutOfSyncOnly,
    pruneConfirmed: isPruneConfirmed(input.settings), namespaceTaskId: first?.id,
  };
}

/** FailOnSharedResource=true: a desired object tracked by another app fails the sync at once (§3). */
function sharedResourceError(tasks: readonly SyncTask[], ctx: TaskContext): string | undefined {
  if (ctx.app.get('FailOnSharedResource') !== 'true') return undefined;
  const shared = sharedResources(tasks, ctx.settings.appInstance, (obj) => trackingOf(obj)?.appInstance);
  return shared.length > 0 ? `Shared resource found: ${shared.join(', ')}` : undefined;
}

/** Apply is always server-side in gitwave: say so when someone asks for client-side apply. */
function warnIgnoredOptions(tasks: readonly SyncTask[], ctx: TaskContext): void {
  if (ctx.app.get('ServerSideApply') === 'false') {
    ctx.warnings.push({ message: 'ServerSideApply=false is ignored: gitwave always applies server-side' });
  }
  for (const task of tasks) {
    if (syncOptionsOf(task.target).get('ServerSideApply') === 'false') {
      ctx.warnings.push({ key: task.key, message: `${keyString(task.key)}: ServerSideApply=false is ignored: gitwave always applies server-side` });
    }
  }
}
