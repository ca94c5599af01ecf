/**
 * App of apps (docs/app-of-apps.md): the `argoproj.io` Application and AppProject documents of a
 * render are not written to the cluster; they live in gitwave's registry. This wraps the cluster
 * client of one parent's comparison or sync so that those two kinds are read from and written to the
 * registry, and every other kind goes to the cluster unchanged. The planner, waves, prunes, diff and
 * health then treat children like any object: applying one registers it (after the checks of
 * shared/model/child-apps.ts), pruning one unregisters it, and its live view carries the child's own
 * sync and health status, which the opt-in Application health check reads.
 *
 * AppProjects stay admin-only: a parent's AppProject document is accepted only when a project of
 * that name is registered with the same spec (then it is left as it is), and is never removed.
 */
import { createHash } from 'node:crypto';
import { parseApplicationObject, ModelError, type Application } from '../model/application.ts';
import { parseAppProjectObject, type AppProject } from '../model/appproject.ts';
import { checkChild, type ParentFacts } from '../model/child-apps.ts';
import { findDestinationCluster } from '../model/cluster.ts';
import { groupOf, type KubeObject } from '../model/object.ts';
import { TerminalClusterError, type ApplyResult, type ClusterClient, type DeleteResult, type ObjectRef, type TypeRef } from '../kube/index.ts';
import type { ResourceMapping } from '../kube/discovery.ts';
import type { AppStatus, Store, StoredApplication } from '../store/ports.ts';
import type { RequestQueue } from './request-queue.ts';

const ARGO_GROUP = 'argoproj.io';
const RESOURCES: Record<string, string> = { Application: 'applications', AppProject: 'appprojects' };

/** What the wrapper reads and writes. `queue` (optional) asks for a child's first render at once; else the drift sweep notices it. */
export interface ChildRegistryDeps {
  store: Pick<Store, 'getApplication' | 'listApplications' | 'putApplication' | 'deleteApplication' | 'getProject' | 'listProjects' | 'listClusters' | 'getStatus'>;
  queue?: RequestQueue;
}

function isRegistryKind(type: TypeRef): boolean {
  return type.group === ARGO_GROUP && type.kind in RESOURCES;
}

function mappingOf(kind: string): ResourceMapping {
  return { group: ARGO_GROUP, version: 'v1alpha1', kind, resource: RESOURCES[kind], namespaced: true, verbs: ['get', 'list', 'patch', 'delete'] };
}

/** The registry read as the cluster would answer, for the plan step's and drift sweep's reads, and a parent's sync. */
class ChildRegistry {
  constructor(readonly deps: ChildRegistryDeps, readonly parent?: ParentFacts) {}

  async getApplication(name: string): Promise<KubeObject | undefined> {
    const stored = await this.deps.store.getApplication(name);
    return stored && applicationView(stored, await this.deps.store.getStatus(name));
  }

  /** Children only: an Application a person registered is never tracked to a parent, so never pruned. */
  async listApplications(namespace?: string): Promise<KubeObject[]> {
    const children = (await this.deps.store.listApplications()).filter((s) => s.parent !== undefined);
    const views = await Promise.all(children.map(async (s) => applicationView(s, await this.deps.store.getStatus(s.app.metadata.name))));
    return views.filter((v) => namespace === undefined || v.metadata.namespace === namespace);
  }

  async getProject(name: string): Promise<KubeObject | undefined> {
    const project = await this.deps.store.getProject(name);
    return project && projectView(project);
  }

  async applyApplication(obj: KubeObject, dryRun: boolean): Promise<ApplyResult> {
    // A read-only comparison (the drift sweep) predicts the document as given; the parent's own plan and sync check it.
    if (!this.parent && dryRun) return result(withStatus(obj, undefined), false, true, `application.argoproj.io/${obj.metadata?.name ?? ''} (dry run)`);
    const parent = this.requireParent(obj);
    const { child, existing } = await this.checked(parent, obj);
    const name = child.metadata.name;
    const doc = JSON.stringify(withoutStatus(obj), null, 2);
    const unchanged = existing?.parent === parent.app.metadata.name && existing.sourceYaml === doc;
    if (!dryRun && !unchanged) {
      await this.deps.store.putApplication(child, { sourceYaml: doc, parent: parent.app.metadata.name });
      const digest = createHash('sha256').update(doc).digest('hex').slice(0, 16);
      await this.deps.queue?.send([{ message: { app: name, trigger: 'drift' }, dedupeKey: `child:${digest}` }]);
    }
    const status = existing ? await this.deps.store.getStatus(name) : undefined;
    const view = withStatus(obj, unchanged ? status : undefined);
    const verb = unchanged ? 'unchanged' : existing ? 'updated' : 'registered';
    return result(view, !existing, dryRun, `application.argoproj.io/${name} ${verb} in the registry (child of ${parent.app.metadata.name})${dryRun ? ' (dry run)' : ''}`);
  }

  async applyProject(obj: KubeObject, dryRun: boolean): Promise<ApplyResult> {
    const name = obj.metadata?.name ?? '';
    const registered = await this.deps.store.getProject(name);
    const given = parseOrRefuse(() => parseAppProjectObject(withoutStatus(obj), `AppProject/${name}`));
    if (!registered || canonical(registered.spec) !== canonical(given.spec)) {
      throw new TerminalClusterError(`AppProject ${name} refused: registering or changing an AppProject is admin-only (gitwave project create); a parent may only list one already registered with the same spec`);
    }
    return result(projectView(registered), false, dryRun, `appproject.argoproj.io/${name} unchanged (registered by an admin)`);
  }

  async deleteApplication(ref: ObjectRef): Promise<DeleteResult> {
    const parent = this.parent?.app.metadata.name;
    const stored = await this.deps.store.getApplication(ref.name);
    if (!stored) return { outcome: 'not-found', pendingFinalizers: [], message: 'already gone' };
    if (parent === undefined || stored.parent !== parent) {
      throw new TerminalClusterError(`Application ${ref.name} was not registered by ${parent === undefined ? 'this operation' : `Application ${parent}`}: it stays registered`);
    }
    await this.deps.store.deleteApplication(ref.name);
    return { outcome: 'deleted', pendingFinalizers: [], message: `application.argoproj.io/${ref.name} unregistered (pruned by ${parent}); its objects were kept in the cluster` };
  }

  private requireParent(obj: KubeObject): ParentFacts {
    if (!this.parent) throw new TerminalClusterError(`Application ${obj.metadata?.name ?? ''}: only a parent Application's sync registers child Applications`);
    return this.parent;
  }

  private async checked(parent: ParentFacts, obj: KubeObject): Promise<{ child: Application; existing?: StoredApplication }> {
    const label = `Application ${parent.app.metadata.name}'s manifests`;
    const child = parseOrRefuse(() => parseApplicationObject(withoutStatus(obj), label));
    const { store } = this.deps;
    const [existing, project, clusters] = await Promise.all([store.getApplication(child.metadata.name), store.getProject(child.spec.project), store.listClusters()]);
    const cluster = findDestinationCluster(clusters, child.spec.destination);
    const reasons = checkChild(parent, { child, project, cluster, existingParent: existing ? existing.parent ?? null : undefined });
    if (reasons.length > 0) throw new TerminalClusterError(`child Application ${child.metadata.name} refused: ${reasons.join('; ')}`);
    return { child, ...(existing ? { existing } : {}) };
  }
}

function parseOrRefuse<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ModelError) throw new TerminalClusterError(error.message);
    throw error;
  }
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function withoutStatus(obj: KubeObject): KubeObject {
  const { status: _status, ...rest } = obj as KubeObject & { status?: unknown };
  return rest;
}

function result(object: KubeObject, created: boolean, dryRun: boolean, message: string): ApplyResult {
  return { object, created, dryRun, takenOver: [], deleting: false, pendingFinalizers: [], message };
}

/**
 * A registered Application as a live object: the document its parent applied (or the parsed one a
 * person registered), with the child's status. A status compared before the child last changed says
 * nothing about the new spec: it shows as not yet compared.
 */
function applicationView(stored: StoredApplication, status: AppStatus | undefined): KubeObject {
  const doc = stored.parent !== undefined && stored.sourceYaml ? JSON.parse(stored.sourceYaml) as KubeObject : stored.app as unknown as KubeObject;
  const stale = status?.reconciledAt !== undefined && status.reconciledAt < stored.updatedAt;
  return withStatus(doc, stale ? { ...status, sync: { status: 'Unknown' } } : status);
}

function withStatus(doc: KubeObject, status: AppStatus | undefined): KubeObject {
  const view: Record<string, unknown> = {};
  if (status?.sync) view.sync = status.sync;
  if (status?.health) view.health = status.health;
  if (status?.operationState) view.operationState = { phase: status.operationState.phase, message: status.operationState.message };
  return { ...withoutStatus(doc), status: view } as KubeObject;
}

function projectView(project: AppProject): KubeObject {
  return project as unknown as KubeObject;
}

/**
 * The client of one parent's comparison or sync (`parent` set), or of a read-only comparison (the
 * drift sweep: no parent, so nothing is registered).
 * @example const kube = withChildApplications(await deps.connect(cluster, opts), deps, { app, project });
 */
export function withChildApplications(kube: ClusterClient, deps: ChildRegistryDeps, parent?: ParentFacts): ClusterClient {
  const registry = new ChildRegistry(deps, parent);
  const isApp = (type: TypeRef) => type.kind === 'Application';
  return {
    apply: (obj, options) => (isRegistryKind(typeOf(obj)) ? applyTo(registry, obj, false) : kube.apply(obj, options)),
    dryRunApply: (obj, options) => (isRegistryKind(typeOf(obj)) ? applyTo(registry, obj, true) : kube.dryRunApply(obj, options)),
    get: (ref) => (!isRegistryKind(ref) ? kube.get(ref) : isApp(ref) ? registry.getApplication(ref.name) : registry.getProject(ref.name)),
    list: async (type, options) => {
      if (!isRegistryKind(type)) return kube.list(type, options);
      if (isApp(type)) return registry.listApplications(options?.namespace);
      return (await deps.store.listProjects()).map(projectView);
    },
    delete: async (ref, options) => {
      if (!isRegistryKind(ref)) return kube.delete(ref, options);
      if (isApp(ref)) return registry.deleteApplication(ref);
      throw new TerminalClusterError(`AppProject ${ref.name}: AppProjects are removed by an admin only; it stays registered`);
    },
    discover: async (type) => (isRegistryKind(type) ? mappingOf(type.kind) : kube.discover(type)),
    scopeOf: async (group, kind) => (isRegistryKind({ group, kind }) ? 'Namespaced' : kube.scopeOf(group, kind)),
    waitForKind: async (type, timeoutMs) => (isRegistryKind(type) ? mappingOf(type.kind) : kube.waitForKind(type, timeoutMs)),
    removeFinalizer: async (ref, finalizer) => (isRegistryKind(ref) ? false : kube.removeFinalizer(ref, finalizer)),
    ...(kube.capabilities ? { capabilities: () => kube.capabilities!() } : {}),
    close: () => kube.close(),
  };
}

function typeOf(obj: KubeObject): TypeRef {
  return { group: groupOf(obj.apiVersion), kind: obj.kind };
}

function applyTo(registry: ChildRegistry, obj: KubeObject, dryRun: boolean): Promise<ApplyResult> {
  if (obj.kind === 'Application') return registry.applyApplication(obj, dryRun);
  return registry.applyProject(obj, dryRun);
}
