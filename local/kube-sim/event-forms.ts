/**
 * Events are stored once and served through two APIs, as Kubernetes does: core `v1` (what
 * `kubectl get events` and `kubectl describe` read) and `events.k8s.io/v1`, whose fields carry other
 * names (`regarding` for `involvedObject`, `note` for `message`, `deprecated*` for the legacy
 * timestamps and count). Both share one storage bucket; an object is converted when it is read
 * through the other API.
 */
import type { Obj } from './store.ts';

export const EVENTS_GROUP = 'events.k8s.io';

/** core v1 field → events.k8s.io/v1 field (the same value, renamed). */
const RENAMED: Array<[string, string]> = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

/** Fields with the same name in both APIs. */
const SHARED = ['metadata', 'eventTime', 'series', 'action', 'reason', 'related', 'reportingInstance', 'type'];

function convert(obj: Obj, apiVersion: string, renames: Array<[string, string]>): Obj {
  const out: Obj = { apiVersion, kind: 'Event' };
  for (const key of SHARED) if (obj[key] !== undefined) out[key] = obj[key];
  for (const [from, to] of renames) if (obj[from] !== undefined) out[to] = obj[from];
  return out;
}

/** An Event in the form of the API it is read through (`v1` or `events.k8s.io/v1`). */
export function eventAs(obj: Obj, apiVersion: string): Obj {
  const stored = String(obj.apiVersion ?? 'v1');
  if (stored === apiVersion) return obj;
  const toEvents = apiVersion.startsWith(`${EVENTS_GROUP}/`);
  if (toEvents === stored.startsWith(`${EVENTS_GROUP}/`)) return { ...obj, apiVersion };
  return toEvents ? convert(obj, apiVersion, RENAMED) : convert(obj, apiVersion, RENAMED.map(([a, b]) => [b, a]));
}
