/**
 * Kubernetes objects as gitwave sees them: plain JSON-like data (desired from Git, live from the
 * cluster), and their identity. Identity is (group, kind, namespace, name): the API version is not
 * part of it (SPEC-sync §1.1), so `apps/v1` and `apps/v1beta2` Deployments of one name are one object.
 */

/** A Kubernetes object as decoded from YAML or JSON. Only `apiVersion`, `kind` and `metadata` are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The metadata fields gitwave reads; everything else is carried through untouched. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
  managedFields?: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

/** Identity of an object. `group` is "" for the core group; `namespace` is "" for cluster-scoped kinds. */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * Whether a value is a plain JSON object (not null, not a list): the guard every reader of untyped
 * YAML or JSON in gitwave uses before looking at fields.
 * @example isRecord([]) // false
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The group of an apiVersion: `apps/v1` → `apps`, `v1` → `""`.
 * @example groupOf('networking.k8s.io/v1') // 'networking.k8s.io'
 */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The version of an apiVersion: `apps/v1` → `v1`, `v1` → `v1`. */
export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
}

/** The identity of an object as it is written (namespace "" when the object names none). */
export function keyOf(obj: KubeObject): ResourceKey {
  return {
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name ?? '',
  };
}

/**
 * The canonical string of a key, `group/kind/namespace/name`, used as a map key and in messages.
 * @example keyString({ group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' }) // '/ConfigMap/ns/cm'
 */
export function keyString(key: ResourceKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

/** `group/kind` as Argo CD writes it in messages (core group written as the kind alone is avoided: `/ConfigMap`). */
export function groupKind(key: Pick<ResourceKey, 'group' | 'kind'>): string {
  return `${key.group}/${key.kind}`;
}
