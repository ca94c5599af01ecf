/**
 * The built-in Kubernetes kinds (v1.32) with their scope and served versions, so that a plan can be
 * made without a cluster. CRDs in the same render add their kinds (`crdKinds`); a kind known to
 * neither gets `undefined` from `scopeOf`, and the planner treats it as namespaced and reports that
 * it must exist on the cluster. test/sync/kinds.test.ts checks this table against the Kubernetes
 * OpenAPI documents.
 */
import { groupOf, versionOf, type KubeObject } from './object.ts';

export type Scope = 'Namespaced' | 'Cluster';

/** `group kind N|C versions…` per line; the core group is written `core`. */
const TABLE = `
core Binding N v1
core ComponentStatus C v1
core ConfigMap N v1
core Endpoints N v1
core Event N v1
core LimitRange N v1
core Namespace C v1
core Node C v1
core PersistentVolume C v1
core PersistentVolumeClaim N v1
core Pod N v1
core PodTemplate N v1
core ReplicationController N v1
core ResourceQuota N v1
core Secret N v1
core Service N v1
core ServiceAccount N v1
admissionregistration.k8s.io MutatingAdmissionPolicy C v1alpha1
admissionregistration.k8s.io MutatingAdmissionPolicyBinding C v1alpha1
admissionregistration.k8s.io MutatingWebhookConfiguration C v1
admissionregistration.k8s.io ValidatingAdmissionPolicy C v1 v1beta1
admissionregistration.k8s.io ValidatingAdmissionPolicyBinding C v1 v1beta1
admissionregistration.k8s.io ValidatingWebhookConfiguration C v1
apiextensions.k8s.io CustomResourceDefinition C v1
apiregistration.k8s.io APIService C v1
apps ControllerRevision N v1
apps DaemonSet N v1
apps Deployment N v1
apps ReplicaSet N v1
apps StatefulSet N v1
authentication.k8s.io SelfSubjectReview C v1 v1beta1
authentication.k8s.io TokenReview C v1
authorization.k8s.io LocalSubjectAccessReview N v1
authorization.k8s.io SelfSubjectAccessReview C v1
authorization.k8s.io SelfSubjectRulesReview C v1
authorization.k8s.io SubjectAccessReview C v1
autoscaling HorizontalPodAutoscaler N v1 v2
batch CronJob N v1
batch Job N v1
certificates.k8s.io CertificateSigningRequest C v1
certificates.k8s.io ClusterTrustBundle C v1alpha1
coordination.k8s.io Lease N v1
coordination.k8s.io LeaseCandidate N v1alpha2
discovery.k8s.io EndpointSlice N v1
events.k8s.io Event N v1
flowcontrol.apiserver.k8s.io FlowSchema C v1
flowcontrol.apiserver.k8s.io PriorityLevelConfiguration C v1
internal.apiserver.k8s.io StorageVersion C v1alpha1
networking.k8s.io IPAddress C v1beta1
networking.k8s.io Ingress N v1
networking.k8s.io IngressClass C v1
networking.k8s.io NetworkPolicy N v1
networking.k8s.io ServiceCIDR C v1beta1
node.k8s.io RuntimeClass C v1
policy PodDisruptionBudget N v1
rbac.authorization.k8s.io ClusterRole C v1
rbac.authorization.k8s.io ClusterRoleBinding C v1
rbac.authorization.k8s.io Role N v1
rbac.authorization.k8s.io RoleBinding N v1
resource.k8s.io DeviceClass C v1alpha3 v1beta1
resource.k8s.io ResourceClaim N v1alpha3 v1beta1
resource.k8s.io ResourceClaimTemplate N v1alpha3 v1beta1
resource.k8s.io ResourceSlice C v1alpha3 v1beta1
scheduling.k8s.io PriorityClass C v1
storage.k8s.io CSIDriver C v1
storage.k8s.io CSINode C v1
storage.k8s.io CSIStorageCapacity N v1
storage.k8s.io StorageClass C v1
storage.k8s.io VolumeAttachment C v1
storage.k8s.io VolumeAttributesClass C v1alpha1 v1beta1
storagemigration.k8s.io StorageVersionMigration C v1alpha1
`;

/** One built-in kind. `group` is "" for the core group. */
export interface BuiltinKind {
  group: string;
  kind: string;
  scope: Scope;
  versions: readonly string[];
}

function parseTable(table: string): Map<string, BuiltinKind> {
  const kinds = new Map<string, BuiltinKind>();
  for (const line of table.trim().split('\n')) {
    const [group, kind, scope, ...versions] = line.split(' ');
    const entry: BuiltinKind = { group: group === 'core' ? '' : group, kind, scope: scope === 'N' ? 'Namespaced' : 'Cluster', versions };
    kinds.set(`${entry.group}/${kind}`, entry);
  }
  return kinds;
}

const BUILTIN = parseTable(TABLE);

/** Every built-in kind, in table order. */
export function builtinKinds(): BuiltinKind[] {
  return [...BUILTIN.values()];
}

/** Whether an object is a CustomResourceDefinition. */
export function isCrd(obj: KubeObject | undefined): boolean {
  return obj !== undefined && obj.kind === 'CustomResourceDefinition' && groupOf(obj.apiVersion) === 'apiextensions.k8s.io';
}

/** The kind a CRD defines, with its scope and served versions; undefined when the CRD is incomplete. */
function crdKind(crd: KubeObject): BuiltinKind | undefined {
  const spec = crd.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown }; versions?: unknown } | undefined;
  if (typeof spec?.group !== 'string' || typeof spec.names?.kind !== 'string') return undefined;
  const versions = Array.isArray(spec.versions)
    ? spec.versions.filter((v) => v?.served !== false && typeof v?.name === 'string').map((v) => v.name as string)
    : [];
  return { group: spec.group, kind: spec.names.kind, scope: spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced', versions };
}

/** The kinds defined by the CRDs among `objects`, keyed `group/kind`. */
export function crdKinds(objects: readonly KubeObject[]): Map<string, BuiltinKind> {
  const kinds = new Map<string, BuiltinKind>();
  for (const obj of objects) {
    const defined = isCrd(obj) ? crdKind(obj) : undefined;
    if (defined) kinds.set(`${defined.group}/${defined.kind}`, defined);
  }
  return kinds;
}

/**
 * The scope of a kind: built-in first, then the CRDs given (objects, or a map from `crdKinds`).
 * Undefined when neither knows it.
 * @example scopeOf('apps', 'Deployment') // 'Namespaced'
 */
export function scopeOf(group: string, kind: string, crds?: readonly KubeObject[] | ReadonlyMap<string, BuiltinKind>): Scope | undefined {
  const key = `${group}/${kind}`;
  const builtin = BUILTIN.get(key);
  if (builtin) return builtin.scope;
  if (crds === undefined) return undefined;
  const defined = crds instanceof Map ? crds : crdKinds(crds as readonly KubeObject[]);
  return defined.get(key)?.scope;
}

/** Whether a built-in kind is served at the given apiVersion (v1.32 with every API enabled). */
export function isBuiltinServed(apiVersion: string, kind: string): boolean {
  return BUILTIN.get(`${groupOf(apiVersion)}/${kind}`)?.versions.includes(versionOf(apiVersion)) ?? false;
}
