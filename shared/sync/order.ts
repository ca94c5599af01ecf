/**
 * The execution order of tasks (SPEC-sync §1.3): phase, wave, kind rank, name; then, so that the
 * order is total, namespace, group and kind. Then the two fix-ups that pull a Namespace and a CRD in
 * front of the first task that needs them.
 */
import { SYNC_PHASES } from '../model/annotations.ts';
import type { SyncTask } from './types.ts';

/** Kinds in apply order; only the kind is compared, never the group. Unlisted kinds come after all. */
export const KIND_ORDER = [
  'Namespace', 'NetworkPolicy', 'ResourceQuota', 'LimitRange', 'PodSecurityPolicy', 'PodDisruptionBudget',
  'ServiceAccount', 'Secret', 'SecretList', 'ConfigMap', 'StorageClass', 'PersistentVolume',
  'PersistentVolumeClaim', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleList', 'ClusterRoleBinding',
  'ClusterRoleBindingList', 'Role', 'RoleList', 'RoleBinding', 'RoleBindingList', 'Service', 'DaemonSet', 'Pod',
  'ReplicationController', 'ReplicaSet', 'Deployment', 'HorizontalPodAutoscaler', 'StatefulSet', 'Job',
  'CronJob', 'IngressClass', 'Ingress', 'APIService',
] as const;

const RANK = new Map<string, number>(KIND_ORDER.map((kind, i) => [kind, i]));

/** The rank of a kind; every unlisted kind shares the last rank. */
export function kindRank(kind: string): number {
  return RANK.get(kind) ?? KIND_ORDER.length;
}

const PHASE_RANK = new Map<string, number>(SYNC_PHASES.map((phase, i) => [phase, i]));

/** Byte-wise comparison of strings (Go's `<` on strings), not locale order. */
function compareBytes(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Weight(x) - utf8Weight(y);
  }
  return a.length - b.length;
}

/** UTF-16 code units reweighted so that their order is UTF-8 byte order (surrogates sort last). */
function utf8Weight(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  return unit >= 0xe000 ? unit - 0x800 : unit;
}

/** The §1.3 order, made total by namespace, group and kind. */
export function compareTasks(a: SyncTask, b: SyncTask): number {
  return (PHASE_RANK.get(a.phase)! - PHASE_RANK.get(b.phase)!)
    || (a.wave - b.wave)
    || (kindRank(a.key.kind) - kindRank(b.key.kind))
    || compareBytes(a.key.name, b.key.name)
    || compareBytes(a.key.namespace, b.key.namespace)
    || compareBytes(a.key.group, b.key.group)
    || compareBytes(a.key.kind, b.key.kind);
}

type DepKey = (task: SyncTask) => string | undefined;

/**
 * Move each dependency task (a Namespace, a CRD) directly before the first earlier task that needs
 * it, taking that task's phase and wave. Only tasks with a target take part.
 */
function pullDependencies(tasks: SyncTask[], dependencyOf: DepKey, needs: DepKey): void {
  const firstIndex = new Map<string, number>();
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i];
    if (!task.target) continue;
    const dep = dependencyOf(task);
    if (dep === undefined) {
      const needed = needs(task);
      if (needed !== undefined && !firstIndex.has(needed)) firstIndex.set(needed, i);
      continue;
    }
    const index = firstIndex.get(dep);
    if (index === undefined) continue;
    task.phase = tasks[index].phase;
    task.wave = tasks[index].wave;
    tasks.splice(i, 1);
    tasks.splice(index, 0, task);
    for (const [k, v] of firstIndex) if (v >= index) firstIndex.set(k, v + 1);
  }
}

function crdDefines(task: SyncTask): string | undefined {
  const target = task.target!;
  if (task.key.kind !== 'CustomResourceDefinition' || task.key.group !== 'apiextensions.k8s.io') return undefined;
  const spec = target.spec as { group?: unknown; names?: { kind?: unknown } } | undefined;
  return typeof spec?.group === 'string' && typeof spec.names?.kind === 'string' ? `${spec.group}/${spec.names.kind}` : undefined;
}

/**
 * Sort tasks and apply the Namespace and CRD fix-ups. A cluster-scoped task counts as being in the
 * destination namespace, as in Argo CD (its target carries that namespace while it is planned).
 */
export function sortTasks(tasks: readonly SyncTask[], destinationNamespace: string): SyncTask[] {
  const sorted = [...tasks].sort(compareTasks);
  pullDependencies(
    sorted,
    (t) => (t.key.group === '' && t.key.kind === 'Namespace' ? t.key.name : undefined),
    (t) => t.key.namespace || destinationNamespace || undefined,
  );
  pullDependencies(sorted, crdDefines, (t) => `${t.key.group}/${t.key.kind}`);
  return sorted;
}
