/**
 * `CreateNamespace=true` (SPEC-sync §3): when no manifest is a Namespace of the destination's name,
 * a PreSync task creates it (or updates its managed labels/annotations). It is made before the dry
 * run, and is untracked, so never pruned. When a same-named manifest exists and its Namespace is
 * absent live, that manifest's task is the one made before the dry run.
 */
import type { KubeObject } from '../model/object.ts';
import type { LiveIndex } from './resolve.ts';
import { makeTask, type TaskContext } from './tasks.ts';
import type { ManagedNamespaceMetadata, SyncTask } from './types.ts';

function isNamespaceNamed(task: SyncTask, name: string): boolean {
  return task.key.group === '' && task.key.kind === 'Namespace' && task.key.name === name;
}

function contains(live: Record<string, string> | undefined, wanted: Record<string, string> | undefined): boolean {
  return Object.entries(wanted ?? {}).every(([k, v]) => live?.[k] === v);
}

/** Whether the live namespace lacks some of the managed labels or annotations. */
function needsUpdate(live: KubeObject, managed: ManagedNamespaceMetadata | undefined): boolean {
  if (!managed) return false;
  return !contains(live.metadata.labels, managed.labels) || !contains(live.metadata.annotations, managed.annotations);
}

/** The Namespace object made by CreateNamespace. */
function namespaceObject(name: string, managed: ManagedNamespaceMetadata | undefined): KubeObject {
  const metadata: KubeObject['metadata'] = { name };
  if (managed?.labels) metadata.labels = { ...managed.labels };
  if (managed?.annotations) metadata.annotations = { ...managed.annotations };
  return { apiVersion: 'v1', kind: 'Namespace', metadata };
}

/**
 * The CreateNamespace task, when one is needed: the option is on, the destination names a
 * namespace, no resource manifest is that Namespace, and the namespace is absent live or misses
 * its managed metadata.
 */
export function createNamespaceTask(tasks: readonly SyncTask[], live: LiveIndex, ctx: TaskContext): SyncTask | undefined {
  const name = ctx.destinationNamespace;
  if (ctx.app.get('CreateNamespace') !== 'true' || name === '') return undefined;
  if (tasks.some((t) => t.target && !t.hook && isNamespaceNamed(t, name))) return undefined;
  const key = { group: '', kind: 'Namespace', namespace: '', name };
  const existing = live.find(key, 'Cluster')?.obj;
  if (existing && !needsUpdate(existing, ctx.settings.managedNamespaceMetadata)) return undefined;
  const target = namespaceObject(name, ctx.settings.managedNamespaceMetadata);
  const task = makeTask({ key, apiVersion: 'v1', phase: 'PreSync', action: 'create-namespace', hook: false, target, live: existing }, ctx);
  return task;
}

/** The task to run before the dry run: the CreateNamespace task or the destination's own manifest, when absent live. */
export function namespaceFirst(tasks: readonly SyncTask[], ctx: TaskContext): SyncTask | undefined {
  if (ctx.app.get('CreateNamespace') !== 'true' || ctx.destinationNamespace === '') return undefined;
  return tasks.find((t) => !t.live && t.target && !t.hook && isNamespaceNamed(t, ctx.destinationNamespace));
}
