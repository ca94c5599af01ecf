/**
 * Task validation (SPEC-sync §1.1 step 4): the GVK must be served (unless its CRD comes in the same
 * sync or `SkipDryRunOnMissingResource=true`, which mark the task `skipDryRun`), and the project must
 * permit the object. Any failure makes the whole operation fail before anything is applied.
 */
import { groupOf, keyString, type KubeObject } from '../model/object.ts';
import { isBuiltinServed, scopeOf, type BuiltinKind } from '../model/kinds.ts';
import { optionIsTrue } from './options.ts';
import type { TaskContext } from './tasks.ts';
import type { SyncPlanInput, SyncTask } from './types.ts';

type Served = 'served' | 'missing' | 'unknown';

/** Whether the GVK is served: asked to the cluster when possible, else the built-in table. */
function servedState(task: SyncTask, input: SyncPlanInput, crds: ReadonlyMap<string, BuiltinKind>): Served {
  if (input.isServed) return input.isServed(task.apiVersion, task.key.kind) ? 'served' : 'missing';
  if (isBuiltinServed(task.apiVersion, task.key.kind)) return 'served';
  const gk = `${groupOf(task.apiVersion)}/${task.key.kind}`;
  if (crds.has(gk)) return 'missing';
  // Built in at another version (a removed beta API) is missing; unknown kinds were reported already.
  return scopeOf(task.key.group, task.key.kind) === undefined ? 'unknown' : 'missing';
}

/** Validate each task, marking `skipDryRun` and collecting errors into the context. */
export function validateTasks(tasks: readonly SyncTask[], input: SyncPlanInput, ctx: TaskContext): void {
  for (const task of tasks) {
    if (servedState(task, input, ctx.crds) === 'missing') {
      const crdInSync = ctx.crds.has(`${task.key.group}/${task.key.kind}`);
      if (crdInSync || optionIsTrue('SkipDryRunOnMissingResource', [task.target], ctx.app)) skipDryRun(task, 'its kind is not served yet');
      else ctx.errors.push({ key: task.key, message: `the server does not serve ${task.apiVersion} ${task.key.kind} (${keyString(task.key)}): install its CRD first, or set SkipDryRunOnMissingResource=true` });
    }
    const denied = input.checkProject?.(task);
    if (denied !== undefined) ctx.errors.push({ key: task.key, message: denied });
  }
}

function skipDryRun(task: SyncTask, reason: string): void {
  task.skipDryRun = true;
  task.skipDryRunReason ??= reason;
}

/**
 * Objects whose namespace is made by a Namespace task of this sync that does not exist yet: the
 * server-side dry run would fail on them (namespace not found), so they skip it. Argo CD's client-side
 * dry run never sees the namespace; this keeps the same outcome. `madeBeforeDryRun` is the namespace
 * task that really exists by the time of the dry run (a real sync's CreateNamespace); in an
 * operation-level dry run it is only dry-run created, so pass none.
 */
export function skipDryRunInNewNamespaces(tasks: readonly SyncTask[], madeBeforeDryRun?: string): void {
  const created = new Set(tasks
    .filter((t) => t.key.kind === 'Namespace' && t.key.group === '' && t.target && !t.live && t.id !== madeBeforeDryRun)
    .map((t) => t.key.name));
  for (const task of tasks) {
    if (task.target && task.key.namespace !== '' && created.has(task.key.namespace)) skipDryRun(task, `namespace ${task.key.namespace} does not exist yet`);
  }
}

/** Whether any live object this sync would take over is tracked by another Application. */
export function sharedResources(tasks: readonly SyncTask[], appInstance: string, trackingApp: (obj: KubeObject) => string | undefined): string[] {
  const shared: string[] = [];
  for (const task of tasks) {
    const owner = task.live && task.target ? trackingApp(task.live) : undefined;
    if (owner !== undefined && owner !== appInstance) shared.push(`${keyString(task.key)} is tracked by application ${owner}`);
  }
  return shared;
}
