/**
 * What the planner needs to know about the cluster, asked once per task: whether each apiVersion/kind
 * of the render is served, and each kind's scope from discovery (SECURITY.md §1: "scope comes from
 * discovery, not from whether metadata.namespace is present"). The project check the planner runs on
 * every task, hooks and prunes included, is built on those scopes and fails closed while a kind's
 * scope is unknown (SECURITY.md §6).
 */
import type { AppProject } from '../model/appproject.ts';
import type { Cluster } from '../model/cluster.ts';
import { crdKinds, isBuiltinServed, scopeOf, type Scope } from '../model/kinds.ts';
import { groupOf, versionOf, type KubeObject } from '../model/object.ts';
import { checkResourcePermitted } from '../model/project-policy.ts';
import type { ClusterClient } from '../kube/index.ts';
import type { SyncTask } from '../sync/types.ts';
import { KUBE_CONCURRENCY, mapLimit } from './live.ts';

export interface KindFacts {
  /** Whether the cluster serves this apiVersion and kind right now. */
  isServed(apiVersion: string, kind: string): boolean;
  /** The kind's scope: discovery first, then the built-in table and the CRDs of the render. */
  scope(group: string, kind: string): Scope | undefined;
}

/**
 * Asks discovery about every apiVersion/kind of `objects` (one look each).
 * @example const facts = await discoverKinds(kube, [...desired, ...live]);
 */
export async function discoverKinds(kube: ClusterClient, objects: readonly KubeObject[]): Promise<KindFacts> {
  const types = new Map<string, { group: string; version: string; kind: string }>();
  for (const obj of objects) {
    types.set(`${obj.apiVersion} ${obj.kind}`, { group: groupOf(obj.apiVersion), version: versionOf(obj.apiVersion), kind: obj.kind });
  }
  const entries = [...types.entries()];
  const mappings = await mapLimit(entries, KUBE_CONCURRENCY, ([, type]) => kube.discover(type));
  const asked = new Set(types.keys());
  const served = new Set<string>();
  const scopes = new Map<string, Scope>();
  entries.forEach(([id, type], i) => {
    const mapping = mappings[i];
    if (!mapping) return;
    served.add(id);
    scopes.set(`${type.group}/${type.kind}`, mapping.namespaced ? 'Namespaced' : 'Cluster');
  });
  const crds = crdKinds(objects);
  return {
    // Kinds the planner adds itself (the Namespace of CreateNamespace) were not asked: the built-in table answers.
    isServed: (apiVersion, kind) => (asked.has(`${apiVersion} ${kind}`) ? served.has(`${apiVersion} ${kind}`) : isBuiltinServed(apiVersion, kind)),
    scope: (group, kind) => scopes.get(`${group}/${kind}`) ?? scopeOf(group, kind, crds),
  };
}

/**
 * The planner's project check (`SyncPlanInput.checkProject`): the reason a task may not be written,
 * or undefined when the project permits it.
 */
export function projectCheck(project: AppProject, cluster: Cluster, facts: KindFacts): (task: SyncTask) => string | undefined {
  return (task) => {
    const { group, kind, namespace, name } = task.key;
    const scope = facts.scope(group, kind);
    if (scope === undefined) {
      return `the scope of ${group ? `${group}/` : ''}${kind} is unknown (the cluster does not serve it and no CRD of the render defines it): refused until it is served`;
    }
    const destination = { server: cluster.server, name: cluster.name };
    return checkResourcePermitted(project, { group, kind, namespace: scope === 'Cluster' ? '' : namespace, name, scope, destination });
  };
}
