/**
 * Starts the simulated controllers: each store event is routed to the controllers of its resource,
 * which reconcile on the next turn (never inside the event) and schedule delayed transitions.
 */
import type { Cluster } from '../cluster.ts';
import type { StoreEvent } from '../store.ts';
import type { Writer } from '../write.ts';
import { reconcileCrd } from './crds.ts';
import { Runtime } from './runtime.ts';

type Handler = (rt: Runtime, event: StoreEvent) => void;

const BY_RESOURCE: Record<string, Handler[]> = {
  'apiextensions.k8s.io/customresourcedefinitions': [reconcileCrd],
};

/** Handlers that see every event (garbage collection, namespace deletion). */
const ALL: Handler[] = [];

export function startControllers(cluster: Cluster, writer: Writer, log?: (line: string) => void): { stop(): void } {
  const rt = new Runtime(cluster, writer, log);
  const unsubscribe = cluster.store.subscribe((event) => {
    for (const handler of [...(BY_RESOURCE[event.resource] ?? []), ...ALL]) handler(rt, event);
  });
  return {
    stop: () => {
      unsubscribe();
      rt.stop();
    },
  };
}
