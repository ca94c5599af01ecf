/**
 * Namespace deletion: a Namespace marked for deletion (phase Terminating) has everything in it deleted;
 * while objects with finalizers remain it reports NamespaceContentRemaining /
 * NamespaceFinalizersRemaining, and once it is empty it goes.
 */
import { deleteObject } from '../delete.ts';
import type { Obj, StoreEvent } from '../store.ts';
import type { Runtime } from './runtime.ts';
import { setCondition } from './runtime.ts';

const NAMESPACES = '/namespaces';

function contents(rt: Runtime, namespace: string): Array<{ resource: string; obj: Obj }> {
  return rt.cluster.store.resources()
    .filter((resource) => resource !== NAMESPACES)
    .flatMap((resource) => rt.cluster.store.list(resource, namespace).map((obj) => ({ resource, obj })));
}

function finalize(rt: Runtime, name: string): void {
  const ns = rt.cluster.store.get(NAMESPACES, '', name);
  if (!ns?.metadata.deletionTimestamp) return;
  for (const { resource, obj } of contents(rt, name)) {
    if (obj.metadata.deletionTimestamp) continue;
    const type = rt.cluster.typeOf(obj);
    if (type) deleteObject(rt.cluster, type, obj, 'Background', false);
    else rt.cluster.store.remove(resource, obj);
  }
  const left = contents(rt, name);
  if (!left.length) {
    rt.cluster.store.remove(NAMESPACES, ns);
    return;
  }
  const now = rt.cluster.now();
  const finalizers = [...new Set(left.flatMap(({ obj }) => obj.metadata.finalizers ?? []))];
  let conditions = setCondition(ns.status?.conditions, { type: 'NamespaceContentRemaining', status: 'True', reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${left.length} objects` }, now);
  conditions = setCondition(conditions, { type: 'NamespaceFinalizersRemaining', status: finalizers.length ? 'True' : 'False', reason: finalizers.length ? 'SomeFinalizersRemain' : 'ContentHasNoFinalizers', message: finalizers.length ? `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}` : 'All content-preserving finalizers finished' }, now);
  rt.writeStatus(rt.type('', 'v1', 'Namespace'), ns, { ...ns.status, phase: 'Terminating', conditions });
}

export function watchNamespaces(rt: Runtime, event: StoreEvent): void {
  if (event.resource === NAMESPACES) {
    if (event.type !== 'DELETED' && event.object.metadata.deletionTimestamp) rt.enqueue(`ns:${event.object.metadata.name}`, () => finalize(rt, event.object.metadata.name));
    return;
  }
  const namespace = event.object.metadata.namespace;
  if (!namespace || event.type !== 'DELETED') return;
  if (rt.cluster.store.get(NAMESPACES, '', namespace)?.metadata.deletionTimestamp) rt.enqueue(`ns:${namespace}`, () => finalize(rt, namespace));
}
