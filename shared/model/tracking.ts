/**
 * Resource tracking in Argo CD's annotation format (SPEC-sync §5.5):
 * `argocd.argoproj.io/tracking-id: <appInstance>:<group>/<kind>:<namespace>/<name>`.
 * Cluster-scoped objects carry the destination namespace in that field; CRDs carry no tracking
 * (they are adopted by key and never pruned).
 */
import { groupOf, type KubeObject, type ResourceKey } from './object.ts';
import { isCrd } from './kinds.ts';

export const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';

/** A parsed tracking id. */
export interface TrackingId extends ResourceKey {
  appInstance: string;
}

/**
 * The app instance name: the app name, or `<appNamespace>_<appName>` for an app outside the
 * control-plane namespace.
 */
export function appInstanceName(appName: string, appNamespace?: string, controlNamespace?: string): string {
  return appNamespace && controlNamespace && appNamespace !== controlNamespace ? `${appNamespace}_${appName}` : appName;
}

/**
 * The tracking id of an object. A key with no namespace (cluster-scoped) gets `destNamespace`.
 * @example trackingId('guestbook', { group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' }, 'ns') // 'guestbook:/ConfigMap:ns/cm'
 */
export function trackingId(appInstance: string, key: ResourceKey, destNamespace: string): string {
  const namespace = key.namespace || destNamespace;
  return `${appInstance}:${key.group}/${key.kind}:${namespace}/${key.name}`;
}

/** Parse a tracking id; undefined when it is not in the `app:group/kind:namespace/name` format. */
export function parseTrackingId(value: string | undefined): TrackingId | undefined {
  if (!value) return undefined;
  const first = value.indexOf(':');
  const second = value.indexOf(':', first + 1);
  if (first <= 0 || second < 0) return undefined;
  const groupKind = value.slice(first + 1, second).split('/');
  const rest = value.slice(second + 1);
  const slash = rest.indexOf('/');
  if (groupKind.length !== 2 || groupKind[1] === '' || slash < 0 || slash === rest.length - 1) return undefined;
  return {
    appInstance: value.slice(0, first),
    group: groupKind[0],
    kind: groupKind[1],
    namespace: rest.slice(0, slash),
    name: rest.slice(slash + 1),
  };
}

/** The parsed tracking id of a (live) object, if any. */
export function trackingOf(obj: KubeObject): TrackingId | undefined {
  return parseTrackingId(obj.metadata.annotations?.[TRACKING_ANNOTATION]);
}

/**
 * Whether the object's tracking id describes the object itself (not a copy made elsewhere). A
 * cluster-scoped object (no namespace) matches whatever namespace the id carries.
 */
export function isSelfReferencing(obj: KubeObject, id: TrackingId | undefined = trackingOf(obj)): boolean {
  if (!id) return false;
  const namespace = obj.metadata.namespace ?? '';
  return (namespace === '' || namespace === id.namespace)
    && obj.metadata.name === id.name
    && groupOf(obj.apiVersion) === id.group
    && obj.kind === id.kind;
}

/** Whether a live object is tracked to this app instance with a self-referencing id. */
export function isTrackedTo(obj: KubeObject, appInstance: string): boolean {
  const id = trackingOf(obj);
  return id?.appInstance === appInstance && isSelfReferencing(obj, id);
}

/**
 * A copy of `obj` with the tracking annotation set for `appInstance` (CRDs are returned unchanged).
 * `key` is the object's identity with its final namespace ("" when cluster-scoped).
 */
export function withTracking(obj: KubeObject, appInstance: string, key: ResourceKey, destNamespace: string): KubeObject {
  if (isCrd(obj)) return obj;
  const annotations = { ...obj.metadata.annotations, [TRACKING_ANNOTATION]: trackingId(appInstance, key, destNamespace) };
  return { ...obj, metadata: { ...obj.metadata, annotations } };
}
