/**
 * The kinds the simulator serves: a table of the built-in resources users deploy (and those kubectl
 * itself asks for), plus the custom resources of Established CRDs, added and removed at run time.
 * Every other module asks this registry what a URL segment or a kind means.
 */

/** One served resource in one group-version. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  /** The URL segment, e.g. `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served besides the object itself, e.g. `status`, `scale`. */
  subresources: string[];
  verbs: string[];
  /** Set for custom resources: the CRD they come from. */
  crd?: string;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/**
 * Compact table: `group/version Kind plural scope shortNames subresources categories`.
 * scope N = namespaced, C = cluster; `-` = none; lists are comma separated.
 */
const BUILT_IN = `
v1 ConfigMap configmaps N cm - -
v1 Endpoints endpoints N ep - -
v1 Event events N ev - -
v1 LimitRange limitranges N limits - -
v1 Namespace namespaces C ns status,finalize -
v1 Node nodes C no status -
v1 PersistentVolumeClaim persistentvolumeclaims N pvc status -
v1 PersistentVolume persistentvolumes C pv status -
v1 Pod pods N po status,log all
v1 PodTemplate podtemplates N - - -
v1 ReplicationController replicationcontrollers N rc status,scale all
v1 ResourceQuota resourcequotas N quota status -
v1 Secret secrets N - - -
v1 ServiceAccount serviceaccounts N sa - -
v1 Service services N svc status all
apps/v1 ControllerRevision controllerrevisions N - - -
apps/v1 DaemonSet daemonsets N ds status all
apps/v1 Deployment deployments N deploy status,scale all
apps/v1 ReplicaSet replicasets N rs status,scale all
apps/v1 StatefulSet statefulsets N sts status,scale all
batch/v1 CronJob cronjobs N cj status all
batch/v1 Job jobs N - status all
networking.k8s.io/v1 IngressClass ingressclasses C - - -
networking.k8s.io/v1 Ingress ingresses N ing status -
networking.k8s.io/v1 NetworkPolicy networkpolicies N netpol - -
rbac.authorization.k8s.io/v1 ClusterRoleBinding clusterrolebindings C - - -
rbac.authorization.k8s.io/v1 ClusterRole clusterroles C - - -
rbac.authorization.k8s.io/v1 RoleBinding rolebindings N - - -
rbac.authorization.k8s.io/v1 Role roles N - - -
policy/v1 PodDisruptionBudget poddisruptionbudgets N pdb status -
autoscaling/v2 HorizontalPodAutoscaler horizontalpodautoscalers N hpa status all
autoscaling/v1 HorizontalPodAutoscaler horizontalpodautoscalers N hpa status all
apiextensions.k8s.io/v1 CustomResourceDefinition customresourcedefinitions C crd,crds status -
coordination.k8s.io/v1 Lease leases N - - -
storage.k8s.io/v1 CSIDriver csidrivers C - - -
storage.k8s.io/v1 CSINode csinodes C - - -
storage.k8s.io/v1 StorageClass storageclasses C sc - -
storage.k8s.io/v1 VolumeAttachment volumeattachments C - status -
discovery.k8s.io/v1 EndpointSlice endpointslices N - - -
events.k8s.io/v1 Event events N ev - -
scheduling.k8s.io/v1 PriorityClass priorityclasses C pc - -
node.k8s.io/v1 RuntimeClass runtimeclasses C - - -
admissionregistration.k8s.io/v1 MutatingWebhookConfiguration mutatingwebhookconfigurations C - - -
admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration validatingwebhookconfigurations C - - -
apiregistration.k8s.io/v1 APIService apiservices C - status -
authorization.k8s.io/v1 SelfSubjectAccessReview selfsubjectaccessreviews C - - -
authentication.k8s.io/v1 SelfSubjectReview selfsubjectreviews C - - -
`;

/** Review kinds accept `create` only and are never stored. */
const CREATE_ONLY = new Set(['selfsubjectaccessreviews', 'selfsubjectreviews']);

function parseTable(): ResourceType[] {
  return BUILT_IN.trim().split('\n').map((line) => {
    const [gv, kind, plural, scope, shorts, subs, cats] = line.trim().split(/\s+/);
    const slash = gv.indexOf('/');
    const list = (s: string) => (s === '-' ? [] : s.split(','));
    return {
      group: slash < 0 ? '' : gv.slice(0, slash),
      version: slash < 0 ? gv : gv.slice(slash + 1),
      kind,
      plural,
      singular: kind.toLowerCase(),
      namespaced: scope === 'N',
      shortNames: list(shorts),
      subresources: list(subs),
      categories: list(cats),
      verbs: CREATE_ONLY.has(plural) ? ['create'] : ALL_VERBS,
    };
  });
}

/** Built-in resources plus the custom resources currently served. */
export class Registry {
  private readonly builtIn = parseTable();
  private custom: ResourceType[] = [];

  /** Every served resource, built-in first, in a stable order. */
  all(): ResourceType[] {
    return [...this.builtIn, ...this.custom];
  }

  /** The resource behind a URL segment in a group-version, if served. */
  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.plural === plural);
  }

  /** The resource of a kind in a group-version, if served. */
  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.all().find((r) => r.group === group && r.version === version && r.kind === kind);
  }

  /** Any served version of a group's kind (the first listed is the preferred one). */
  versionsOfKind(group: string, kind: string): ResourceType[] {
    return this.all().filter((r) => r.group === group && r.kind === kind);
  }

  /** Group → versions in preference order. */
  groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const r of this.all()) {
      const versions = groups.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      groups.set(r.group, versions);
    }
    return groups;
  }

  /** Whether the resource is only ever created (review kinds). */
  isCreateOnly(r: ResourceType): boolean {
    return CREATE_ONLY.has(r.plural) && !r.crd;
  }

  /** Replaces the custom resources that one CRD serves (an empty list stops serving them). */
  setCustom(crdName: string, types: ResourceType[]): void {
    this.custom = [...this.custom.filter((r) => r.crd !== crdName), ...types];
  }
}

/** The store key of a resource: the same for every version of it. */
export function storageKey(r: Pick<ResourceType, 'group' | 'plural'>): string {
  // events.k8s.io/v1 Events are the core Events seen through another API (see event-forms.ts).
  if (r.group === 'events.k8s.io' && r.plural === 'events') return '/events';
  return `${r.group}/${r.plural}`;
}

/** `apps/v1`, or `v1` for the core group. */
export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `deployments.apps`, or `pods` for the core group: how Kubernetes names a resource in messages. */
export function qualifiedResource(r: Pick<ResourceType, 'group' | 'plural'>): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
