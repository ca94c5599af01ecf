/**
 * PATCH in its four content types (JSON patch, JSON merge patch, strategic merge patch, server-side
 * apply) on the main resource and the `status` subresource, and the `scale` subresource
 * (an autoscaling/v1 Scale view of `spec.replicas`).
 */
import { serverSideApply } from './apply.ts';
import type { Cluster } from './cluster.ts';
import { ApiError, badRequest, notFound, staleConflict } from './errors.ts';
import { jsonPatch } from './jsonpatch.ts';
import { mergePatch, strategicMerge } from './merge.ts';
import type { ApiRequest, ApiResponse } from './rest.ts';
import { checkNamespaceOf, checkTypeOf, checkUnknownFields, isDryRun, managerOf, present, proposedFor } from './rest.ts';
import type { Obj } from './store.ts';
import type { Writer } from './write.ts';
import { checkPrecondition, hasStatus } from './write.ts';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export function patchTypeOf(contentType: string, custom: boolean): PatchType {
  const type = PATCH_TYPES[contentType.split(';')[0].trim().toLowerCase()];
  if (!type || (type === 'strategic' && custom)) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml${custom ? '' : ', application/strategic-merge-patch+json'}`);
  }
  return type;
}

export function patch(cluster: Cluster, writer: Writer, req: ApiRequest): ApiResponse {
  const type = patchTypeOf(req.contentType, Boolean(req.r.crd));
  if (req.subresource === 'scale') return patchScale(cluster, writer, req, type);
  if (type === 'apply') return apply(cluster, writer, req);
  if (req.query.has('force')) throw badRequest('force flag must be unset for non-apply patch requests');
  const live = cluster.get(req.r, req.namespace, req.name);
  if (!live) throw notFound(req.r, req.name);
  const patched = patchObject(type, structuredClone(live), req.body, cluster.cursorOf(req.r));
  const obj = checkTypeOf(req, patched);
  if (obj.metadata.name !== req.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${req.name})`);
  checkPrecondition(req.r, live, obj, staleConflict);
  checkUnknownFields(cluster, req, obj, req.name);
  const part = req.subresource === 'status' ? 'status' : 'main';
  const saved = writer.commit(req.r, live, proposedFor(req.subresource, live, obj), { manager: managerOf(req), dryRun: isDryRun(req) }, part);
  return { code: 200, body: present(saved, req.r) };
}

function patchObject(type: PatchType, target: Obj, body: unknown, cursor: ReturnType<Cluster['cursorOf']>): unknown {
  if (type === 'json') return jsonPatch(target, body);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the patch must be a JSON object');
  return type === 'merge' ? mergePatch(target, body) : strategicMerge(target, body, cursor);
}

function apply(cluster: Cluster, writer: Writer, req: ApiRequest): ApiResponse {
  if (!req.query.get('fieldManager')) throw badRequest('PATCH, application/apply-patch+yaml: fieldManager is required for apply requests');
  const config = req.body as Obj;
  if (!config || typeof config !== 'object' || !config.apiVersion || !config.kind) {
    throw badRequest('invalid object: apiVersion and kind must be set in an apply configuration');
  }
  checkTypeOf(req, config);
  checkNamespaceOf(req, config);
  if (config.metadata.name !== req.name) throw badRequest(`the name of the object (${config.metadata.name}) does not match the name on the URL (${req.name})`);
  if (config.metadata.managedFields !== undefined) throw badRequest('metadata.managedFields must be nil');
  const live = cluster.get(req.r, req.namespace, req.name);
  const part = req.subresource === 'status' ? 'status' : 'main';
  if (req.subresource && req.subresource !== 'status') throw badRequest(`apply is not supported on the ${req.subresource} subresource`);
  if (!live && part === 'status') throw notFound(req.r, req.name);
  if (!live && req.r.namespaced) cluster.requireActiveNamespace(req.r, config.metadata.namespace, req.name);
  if (live) checkPrecondition(req.r, live, config, staleConflict);
  checkUnknownFields(cluster, req, config, req.name);
  const result = serverSideApply({
    live,
    applied: config,
    manager: req.query.get('fieldManager')!,
    force: req.query.get('force') === 'true',
    apiVersion: config.apiVersion,
    part,
    hasStatus: hasStatus(req.r),
    cursor: cluster.cursorOf(req.r),
    now: cluster.now(),
  });
  const proposed: Obj = part === 'status'
    ? { ...live, status: result.owned.status }
    : {
      ...result.owned,
      apiVersion: config.apiVersion,
      kind: config.kind,
      metadata: { ...(result.owned.metadata ?? {}), name: req.name, ...(req.r.namespaced ? { namespace: config.metadata.namespace } : {}) },
      ...(live?.status !== undefined ? { status: live.status } : {}),
    };
  const saved = writer.commit(req.r, live, proposed, { manager: req.query.get('fieldManager')!, dryRun: isDryRun(req) }, part, result.managedFields);
  return { code: live ? 200 : 201, body: present(saved, req.r) };
}

/** The autoscaling/v1 Scale view of a workload. */
function toScale(obj: Obj): Obj {
  const labels = obj.spec?.selector?.matchLabels ?? {};
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: obj.metadata.name, namespace: obj.metadata.namespace, uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion, creationTimestamp: obj.metadata.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, selector: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}

/** GET, PUT or PATCH of `…/scale`: only `spec.replicas` reaches the workload. */
export function scale(cluster: Cluster, writer: Writer, req: ApiRequest, body?: unknown): ApiResponse {
  const live = cluster.get(req.r, req.namespace, req.name);
  if (!live) throw notFound(req.r, req.name);
  if (body === undefined) return { code: 200, body: toScale(live) };
  const replicas = (body as Obj)?.spec?.replicas;
  if (!Number.isInteger(replicas) || replicas < 0) throw badRequest('spec.replicas: must be a non-negative integer');
  checkPrecondition(req.r, live, body as Obj, staleConflict);
  const next = { ...live, spec: { ...live.spec, replicas } };
  const saved = writer.commit(req.r, live, next, { manager: managerOf(req), dryRun: isDryRun(req) }, 'main');
  return { code: 200, body: toScale(saved) };
}

function patchScale(cluster: Cluster, writer: Writer, req: ApiRequest, type: PatchType): ApiResponse {
  const live = cluster.get(req.r, req.namespace, req.name);
  if (!live) throw notFound(req.r, req.name);
  if (type === 'apply') throw badRequest('apply is not supported on the scale subresource');
  const patched = patchObject(type, toScale(live), req.body, undefined);
  return scale(cluster, writer, req, patched);
}
