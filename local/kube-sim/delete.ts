/**
 * DELETE of one object and of a collection. An object without finalizers goes at once (its dependents
 * follow in the background, through the garbage collector); with finalizers, with
 * `propagationPolicy=Foreground` or `Orphan`, or for a Namespace, it gets a deletionTimestamp and
 * stays (202) until the finalizers are gone. Preconditions (uid, resourceVersion) are honoured.
 */
import type { Cluster } from './cluster.ts';
import { ApiError, badRequest, notFound } from './errors.ts';
import type { ResourceType } from './registry.ts';
import { storageKey } from './registry.ts';
import type { ApiRequest, ApiResponse } from './rest.ts';
import { isDryRun, present } from './rest.ts';
import { fieldSelector, labelSelector } from './selectors.ts';
import type { Obj } from './store.ts';

export type Propagation = 'Foreground' | 'Background' | 'Orphan';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

interface DeleteOptions {
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Kubernetes' legacy default: Jobs and ReplicationControllers orphan their pods unless told otherwise. */
function defaultPropagation(r: ResourceType): Propagation {
  return (r.group === 'batch' && r.kind === 'Job') || (r.group === '' && r.kind === 'ReplicationController') ? 'Orphan' : 'Background';
}

function optionsOf(req: ApiRequest): DeleteOptions {
  const body = (req.body && typeof req.body === 'object' ? req.body : {}) as DeleteOptions;
  const policy = req.query.get('propagationPolicy') ?? body.propagationPolicy;
  const orphan = req.query.get('orphanDependents') ?? body.orphanDependents;
  return { propagationPolicy: policy, orphanDependents: orphan === true || orphan === 'true', preconditions: body.preconditions };
}

function propagationOf(r: ResourceType, opts: DeleteOptions): Propagation {
  const policy = opts.propagationPolicy ?? (opts.orphanDependents ? 'Orphan' : defaultPropagation(r));
  if (!['Foreground', 'Background', 'Orphan'].includes(policy)) throw badRequest(`propagationPolicy: Unsupported value: "${policy}"`);
  return policy as Propagation;
}

/** Deletes one stored object (used by the REST verb, the garbage collector and the namespace controller). */
export function deleteObject(cluster: Cluster, r: ResourceType, live: Obj, policy: Propagation, dryRun: boolean): { obj: Obj; gone: boolean } {
  if (live.metadata.deletionTimestamp) return { obj: live, gone: false };
  const extra = policy === 'Foreground' ? [FOREGROUND_FINALIZER] : policy === 'Orphan' ? [ORPHAN_FINALIZER] : [];
  const finalizers = [...new Set([...(live.metadata.finalizers ?? []), ...extra])];
  const isNamespace = r.group === '' && r.kind === 'Namespace';
  if (!finalizers.length && !isNamespace) {
    if (dryRun) return { obj: live, gone: true };
    return { obj: cluster.store.remove(storageKey(r), live) ?? live, gone: true };
  }
  const next = structuredClone(live);
  next.metadata.deletionTimestamp = cluster.now();
  next.metadata.deletionGracePeriodSeconds = 0;
  if (finalizers.length) next.metadata.finalizers = finalizers;
  if (isNamespace) next.status = { ...(next.status ?? {}), phase: 'Terminating' };
  if (dryRun) return { obj: next, gone: false };
  return { obj: cluster.store.put(storageKey(r), next), gone: false };
}

export function deleteOne(cluster: Cluster, req: ApiRequest): ApiResponse {
  if (req.subresource) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const live = cluster.get(req.r, req.namespace, req.name);
  if (!live) throw notFound(req.r, req.name);
  const opts = optionsOf(req);
  const pre = opts.preconditions ?? {};
  if ((pre.uid && pre.uid !== live.metadata.uid) || (pre.resourceVersion && pre.resourceVersion !== live.metadata.resourceVersion)) {
    const which = pre.uid && pre.uid !== live.metadata.uid ? `UID in precondition: ${pre.uid}, UID in object meta: ${live.metadata.uid}` : `ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${live.metadata.resourceVersion}`;
    throw new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${req.r.plural} "${req.name}": Precondition failed: ${which}`, { name: req.name, group: req.r.group, kind: req.r.plural });
  }
  const { obj, gone } = deleteObject(cluster, req.r, live, propagationOf(req.r, opts), isDryRun(req));
  if (gone) {
    return {
      code: 200,
      body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: req.name, group: req.r.group, kind: req.r.plural, uid: live.metadata.uid } },
    };
  }
  return { code: 202, body: present(obj, req.r) };
}

export function deleteCollection(cluster: Cluster, req: ApiRequest): ApiResponse {
  const labels = labelSelector(req.query.get('labelSelector'));
  const fields = fieldSelector(req.query.get('fieldSelector'), req.r);
  const policy = propagationOf(req.r, optionsOf(req));
  const dryRun = isDryRun(req);
  const items = cluster.store.list(storageKey(req.r), req.namespace).filter((o) => labels(o) && fields(o));
  const deleted = items.map((o) => present(deleteObject(cluster, req.r, o, policy, dryRun).obj, req.r));
  return { code: 200, body: { apiVersion: req.r.group ? `${req.r.group}/${req.r.version}` : req.r.version, kind: `${req.r.kind}List`, metadata: { resourceVersion: String(cluster.store.resourceVersion) }, items: deleted } };
}
