/**
 * Starts the simulated controllers: each store event is routed to the controllers of its resource,
 * which reconcile on the next turn (never inside the event) and schedule delayed transitions.
 */
import type { Cluster } from '../cluster.ts';
import type { Obj, StoreEvent } from '../store.ts';
import type { Writer } from '../write.ts';
import { reconcileCrd } from './crds.ts';
import { reconcileDeployment, reconcileReplicaSet } from './deployments.ts';
import { GarbageCollector } from './gc.ts';
import { reconcileJob } from './jobs.ts';
import { reconcileMisc } from './misc.ts';
import { watchNamespaces } from './namespaces.ts';
import { reconcileClaim, reconcileIngress, reconcileService } from './network.ts';
import { reconcilePod } from './pods.ts';
import { controllerOf, Runtime } from './runtime.ts';
import { reconcileDaemonSet, reconcileStatefulSet } from './sets.ts';

type Reconcile = (rt: Runtime, namespace: string, name: string) => void;

/** Workload controllers by the kind of object they own. */
const WORKLOADS: Record<string, { resource: string; reconcile: Reconcile }> = {
  Deployment: { resource: 'apps/deployments', reconcile: reconcileDeployment },
  ReplicaSet: { resource: 'apps/replicasets', reconcile: reconcileReplicaSet },
  StatefulSet: { resource: 'apps/statefulsets', reconcile: reconcileStatefulSet },
  DaemonSet: { resource: 'apps/daemonsets', reconcile: reconcileDaemonSet },
  Job: { resource: 'batch/jobs', reconcile: reconcileJob },
};

function enqueueWorkload(rt: Runtime, kind: string, namespace: string, name: string): void {
  const workload = WORKLOADS[kind];
  if (workload) rt.enqueue(`${kind}:${namespace}/${name}`, () => workload.reconcile(rt, namespace, name));
}

/** A change to an owned object (a pod, a ReplicaSet) makes its controller look again. */
function enqueueOwner(rt: Runtime, obj: Obj): void {
  const owner = controllerOf(obj);
  if (owner) enqueueWorkload(rt, owner.kind, obj.metadata.namespace, owner.name);
}

function route(rt: Runtime, event: StoreEvent): void {
  const obj = event.object;
  const kind = Object.entries(WORKLOADS).find(([, w]) => w.resource === event.resource)?.[0];
  if (kind && event.type !== 'DELETED') enqueueWorkload(rt, kind, obj.metadata.namespace, obj.metadata.name);
  if (event.resource === '/pods' || event.resource === 'apps/replicasets') enqueueOwner(rt, obj);
  if (event.type === 'DELETED') return;
  if (event.resource === '/pods') reconcilePod(rt, event);
  if (event.resource === '/services') reconcileService(rt, obj);
  if (event.resource === 'networking.k8s.io/ingresses') reconcileIngress(rt, obj);
  if (event.resource === '/persistentvolumeclaims') reconcileClaim(rt, obj);
  reconcileMisc(rt, event.resource, obj);
}

export function startControllers(cluster: Cluster, writer: Writer, log?: (line: string) => void): { stop(): void } {
  const rt = new Runtime(cluster, writer, log);
  const gc = new GarbageCollector(rt);
  const unsubscribe = cluster.store.subscribe((event) => {
    if (event.resource === 'apiextensions.k8s.io/customresourcedefinitions') reconcileCrd(rt, event);
    route(rt, event);
    gc.observe(event);
    watchNamespaces(rt, event);
  });
  return {
    stop: () => {
      unsubscribe();
      rt.stop();
    },
  };
}
