/**
 * Reading and removing objects: get, list by kind across namespaces (paged, relisting when the
 * server says the continue token is too old), delete with a propagation policy and finalizer
 * awareness, and removing one finalizer by JSON patch. Finalizers other than the one named are
 * never touched (SECURITY.md §6: report a pending finalizer, never strip it).
 */
import type { KubeObject } from '../model/object.ts';
import { apiVersionOf, ClusterCalls, describeTarget, objectLabel, resourcePath } from './calls.ts';
import { errorForResponse, KindNotServedError } from './errors.ts';
import { deletionState, HOOK_FINALIZER, type DeleteOptions, type DeleteResult, type ListOptions, type ObjectRef, type TypeRef } from './port.ts';
import type { ResourceMapping } from './discovery.ts';

/** Resolves a reference without waiting: a kind that is not served now is an error for reads. */
async function target(calls: ClusterCalls, ref: ObjectRef, verb: string, defaultNamespace: string) {
  const mapping = await calls.resolve(ref, 0);
  const namespace = mapping.namespaced ? ref.namespace || defaultNamespace : undefined;
  return { mapping, namespace, path: resourcePath(mapping, namespace, ref.name), what: `${verb} ${describeTarget(mapping, namespace, ref.name)}` };
}

export async function getObject(calls: ClusterCalls, ref: ObjectRef, defaultNamespace: string): Promise<KubeObject | undefined> {
  const t = await target(calls, ref, 'get', defaultNamespace);
  const res = await calls.call({ method: 'GET', path: t.path, what: t.what }, [404]);
  if (ClusterCalls.isTypeNotFound(res)) throw kindGone(calls, t.mapping);
  return res.status === 404 ? undefined : withType(res.body as KubeObject, t.mapping);
}

/** One list per kind (all namespaces unless one is given), following `continue` tokens. */
export async function listObjects(calls: ClusterCalls, type: TypeRef, options: ListOptions = {}): Promise<KubeObject[]> {
  const mapping = await calls.resolve(type, 0);
  for (let relists = 0; ; relists++) {
    try {
      return await listPages(calls, mapping, options);
    } catch (err) {
      // 410 Gone: the continue token expired mid-list; start again (bounded).
      if (!(err instanceof ExpiredList) || relists >= 2) throw err instanceof ExpiredList ? err.error : err;
    }
  }
}

class ExpiredList extends Error {
  constructor(readonly error: Error) {
    super(error.message);
  }
}

async function listPages(calls: ClusterCalls, mapping: ResourceMapping, options: ListOptions): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  const what = `list ${mapping.resource}${mapping.group ? `.${mapping.group}` : ''}${options.namespace ? ` in ${options.namespace}` : ''}`;
  let token: string | undefined;
  do {
    const res = await calls.call({
      method: 'GET',
      path: resourcePath(mapping, options.namespace),
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: String(options.pageSize ?? 500), continue: token },
      what,
    }, [404, 410]);
    if (res.status === 410) throw new ExpiredList(errorForResponse(what, 410, res.body));
    if (res.status === 404) throw kindGone(calls, mapping);
    const page = res.body as { items?: KubeObject[]; metadata?: { continue?: string } };
    for (const item of page.items ?? []) items.push(withType(item, mapping));
    token = page.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** Discovery said the kind is served, the server says not (its CRD went away): forget the group. */
function kindGone(calls: ClusterCalls, m: ResourceMapping): KindNotServedError {
  calls.mapper.invalidateGroup(m.group);
  return new KindNotServedError(apiVersionOf(m.group, m.version), m.kind, 'no longer served');
}

/** List items come without apiVersion and kind; put them back. */
function withType(obj: KubeObject, m: ResourceMapping): KubeObject {
  return { ...obj, apiVersion: obj.apiVersion || apiVersionOf(m.group, m.version), kind: obj.kind || m.kind };
}

export async function deleteObject(calls: ClusterCalls, ref: ObjectRef, options: DeleteOptions, defaultNamespace: string): Promise<DeleteResult> {
  const t = await target(calls, ref, 'delete', defaultNamespace);
  const label = objectLabel(t.mapping, ref.name);
  const res = await calls.call({
    method: 'DELETE',
    path: t.path,
    query: { dryRun: options.dryRun ? 'All' : undefined },
    body: {
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      propagationPolicy: options.propagationPolicy ?? 'Foreground',
      ...(options.uid ? { preconditions: { uid: options.uid } } : {}),
    },
    what: t.what,
    dryRun: options.dryRun,
  }, [404]);
  if (res.status === 404) return { outcome: 'not-found', pendingFinalizers: [], message: `${label} not found` };
  const body = res.body as KubeObject | { kind?: string };
  if (body?.kind !== 'Status' && (body as KubeObject)?.metadata?.deletionTimestamp) {
    const { pendingFinalizers } = deletionState(body as KubeObject);
    return { outcome: 'deleting', pendingFinalizers, message: `${label} deleting (waiting for finalizers: ${pendingFinalizers.join(', ') || 'none'})` };
  }
  return { outcome: 'deleted', pendingFinalizers: [], message: `${label} deleted` };
}

/**
 * Removes `finalizer` with a JSON patch guarded by a `test` of its position, so a concurrent change
 * to the list makes the patch fail (422) instead of removing the wrong entry; then it re-reads.
 */
export async function removeFinalizer(calls: ClusterCalls, ref: ObjectRef, finalizer = HOOK_FINALIZER, defaultNamespace: string): Promise<boolean> {
  const t = await target(calls, ref, 'remove finalizer from', defaultNamespace);
  for (let attempt = 1; ; attempt++) {
    const live = await getObject(calls, ref, defaultNamespace);
    const index = live?.metadata.finalizers?.indexOf(finalizer) ?? -1;
    if (!live || index < 0) return false;
    const res = await calls.call({
      method: 'PATCH',
      path: t.path,
      contentType: 'application/json-patch+json',
      body: [
        { op: 'test', path: `/metadata/finalizers/${index}`, value: finalizer },
        { op: 'remove', path: `/metadata/finalizers/${index}` },
      ],
      what: t.what,
    }, [404, 409, 422]);
    if (res.status === 404) return false;
    if (res.status < 300) return true;
    if (attempt >= 3) throw errorForResponse(t.what, res.status, res.body);
  }
}
