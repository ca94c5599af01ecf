/**
 * The Events the simulated controllers report, as client-go's recorder writes them: core v1 Events
 * named `<object>.<hex of the time in ns>` (so a list, sorted by name, is in time order), a repeat of the same reason and message on the same object counted on the
 * existing Event (count, lastTimestamp, series) instead of a new one. Each namespace keeps its newest
 * Events (`eventsPerNamespace`, default 500; the oldest go first), so a long run does not grow without
 * bound, as Kubernetes' one-hour TTL on Events keeps a real cluster's from doing.
 */
import type { Obj } from '../store.ts';
import type { Runtime } from './runtime.ts';

export const DEFAULT_EVENTS_PER_NAMESPACE = 500;
const EVENTS = '/events';

let lastStamp = 0n;

/** Nanoseconds since the epoch, strictly increasing between calls (a unique, ordered name suffix). */
function stamp(): bigint {
  const now = BigInt(Date.now()) * 1_000_000n;
  lastStamp = now > lastStamp ? now : lastStamp + 1n;
  return lastStamp;
}

export interface EventNote {
  type?: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** The reporting component, e.g. `deployment-controller`, `kubelet`. */
  component: string;
  /** For kubelet events: the container the event is about (`spec.containers{name}`). */
  fieldPath?: string;
}

function involvedObject(obj: Obj, fieldPath?: string): Obj {
  return {
    apiVersion: obj.apiVersion,
    kind: obj.kind,
    namespace: obj.metadata.namespace,
    name: obj.metadata.name,
    uid: obj.metadata.uid,
    resourceVersion: obj.metadata.resourceVersion,
    ...(fieldPath ? { fieldPath } : {}),
  };
}

/** Records an Event about a namespaced object (written at once; never fails the caller). */
export function recordEvent(rt: Runtime, about: Obj, note: EventNote): void {
  const namespace = about.metadata.namespace;
  if (!namespace) return;
  const now = rt.cluster.now();
  const micro = new Date().toISOString().replace(/Z$/, '000Z');
  const store = rt.cluster.store;
  const live = store.filter(EVENTS, namespace, (e) => e.involvedObject?.uid === about.metadata.uid && e.reason === note.reason && e.message === note.message && (e.involvedObject?.fieldPath ?? '') === (note.fieldPath ?? ''))[0];
  if (live) {
    const count = (live.count ?? 1) + 1;
    store.put(EVENTS, { ...live, count, lastTimestamp: now, series: { count, lastObservedTime: micro } });
    return;
  }
  const host = note.component === 'kubelet' ? { host: about.spec?.nodeName ?? 'sim-node-1' } : {};
  store.put(EVENTS, {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${about.metadata.name}.${stamp().toString(16)}`, namespace, uid: rt.cluster.uid(), creationTimestamp: now },
    involvedObject: involvedObject(about, note.fieldPath),
    reason: note.reason,
    message: note.message,
    source: { component: note.component, ...host },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type: note.type ?? 'Normal',
    eventTime: null,
    reportingComponent: note.component,
    reportingInstance: host.host ?? '',
  });
  prune(rt, namespace);
}

/** Keeps the newest Events of a namespace (by resourceVersion: the last recorded or counted). */
function prune(rt: Runtime, namespace: string): void {
  const events = rt.cluster.store.filter(EVENTS, namespace, () => true);
  const excess = events.length - (rt.cluster.settings.eventsPerNamespace ?? DEFAULT_EVENTS_PER_NAMESPACE);
  if (excess <= 0) return;
  const oldest = [...events].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion)).slice(0, excess);
  for (const event of oldest) rt.cluster.store.remove(EVENTS, event);
}
