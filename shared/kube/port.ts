/**
 * The port through which handlers and the local runtime talk to a cluster: a few verbs over plain
 * objects, with results that carry what the sync engine must report (fields taken over from other
 * managers, pending finalizers, deletion in progress). `KubeClusterClient` implements it against a
 * real API server (EKS or a kubeconfig context, the simulator included); tests of the core may
 * implement it in memory.
 */
import { groupOf, versionOf, type KubeObject } from '../model/object.ts';
import type { ResourceMapping } from './discovery.ts';
import type { ClusterError } from './errors.ts';

/** The one field manager gitwave applies with (SPEC-sync.md, deliberate differences). */
export const FIELD_MANAGER = 'gitwave';
/** The finalizer gitwave (like Argo CD) puts on hooks so their result can be read (SPEC-sync.md §2.3). */
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/** A kind. Without `version` the group's preferred version is used. `group` is "" for the core group. */
export interface TypeRef {
  group: string;
  version?: string;
  kind: string;
}

/** One object. `namespace` is ignored for cluster-scoped kinds. A `ResourceKey` is an `ObjectRef`. */
export interface ObjectRef extends TypeRef {
  namespace?: string;
  name: string;
}

/** Fields another manager owned that a forced apply took over. */
export interface FieldConflict {
  /** The other field manager, e.g. `kubectl-client-side-apply`. */
  manager: string;
  /** The field path as the API server writes it, e.g. `.spec.replicas`. */
  field: string;
}

export interface ApplyOptions {
  /** How long to wait for the kind to be served (its CRD Established) before "kind not served"; 0 = no wait. */
  kindWaitMs?: number;
}

export interface ApplyResult {
  /** The object the server returned: live after an apply, predicted live after a dry run. */
  object: KubeObject;
  /** True when the object did not exist before (HTTP 201). */
  created: boolean;
  dryRun: boolean;
  /** Conflicts that were forced: the managers whose fields gitwave took over (empty when none). */
  takenOver: FieldConflict[];
  /** The object carries a deletionTimestamp (an apply does not stop a deletion in progress). */
  deleting: boolean;
  pendingFinalizers: string[];
  /** kubectl's wording: `deployment.apps/web serverside-applied`. */
  message: string;
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions {
  /** Default `Foreground` (SPEC-sync.md §1.6 step 2). */
  propagationPolicy?: PropagationPolicy;
  /** Delete only if the live object still has this uid. */
  uid?: string;
  dryRun?: boolean;
}

export interface DeleteResult {
  /** `deleting`: accepted, but the object stays until its finalizers are done. */
  outcome: 'deleted' | 'deleting' | 'not-found';
  pendingFinalizers: string[];
  message: string;
}

export interface ListOptions {
  /** Only this namespace; default: all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; default 500. */
  pageSize?: number;
}

/** What `helm template` needs to know about a cluster (`--kube-version`, `--api-versions`). */
export interface ClusterCapabilities {
  /** The server's `gitVersion`, e.g. `v1.32.3-eks-1234`. */
  kubeVersion: string;
  /** Every served `group/version` (`v1` for the core group), as discovery lists them. */
  apiVersions: string[];
}

export interface ClusterClient {
  /** Server-side apply as `gitwave`, conflicts forced and reported. */
  apply(obj: KubeObject, options?: ApplyOptions): Promise<ApplyResult>;
  /** The same apply with `dryRun=All`: the predicted live object, nothing persisted. */
  dryRunApply(obj: KubeObject, options?: ApplyOptions): Promise<ApplyResult>;
  /** The live object, or undefined when it does not exist. Throws `KindNotServedError` for unknown kinds. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>;
  /** Every object of a kind (all namespaces unless one is given), with apiVersion and kind set. */
  list(type: TypeRef, options?: ListOptions): Promise<KubeObject[]>;
  delete(ref: ObjectRef, options?: DeleteOptions): Promise<DeleteResult>;
  /** How a kind is served, or undefined when it is not (after one fresh look at discovery). */
  discover(type: TypeRef): Promise<ResourceMapping | undefined>;
  /** `Namespaced`, `Cluster`, or undefined when the kind is not served (callers fail closed). */
  scopeOf(group: string, kind: string): Promise<'Namespaced' | 'Cluster' | undefined>;
  /** Polls discovery until the kind is served or the wait ends (`KindNotServedError`). */
  waitForKind(type: TypeRef, timeoutMs?: number): Promise<ResourceMapping>;
  /** Removes one finalizer (default: the hook finalizer) by JSON patch; false when absent or gone. */
  removeFinalizer(ref: ObjectRef, finalizer?: string): Promise<boolean>;
  /** The server version and served group/versions (`/version`, `/api`, `/apis`); optional for in-memory test clients. */
  capabilities?(): Promise<ClusterCapabilities>;
  /** Releases pooled connections. */
  close(): Promise<void>;
  /**
   * The same client, each request sending `userAgent` (which Kubernetes' audit log records), so a
   * write names the writer lease it was made under; `onRetry` hears each transient failure before
   * the client waits to retry it. Optional: fakes in tests need not have it.
   */
  as?(userAgent: string, options?: { onRetry?: RetryListener }): ClusterClient;
}

/** A transient failure the client is about to retry: what failed, which attempt, and the wait before the next. */
export interface RetryNotice {
  error: ClusterError;
  /** The attempt that failed (1-based). */
  attempt: number;
  maxAttempts: number;
  delayMs: number;
}

/** Awaited before the wait, so what it records lands before the call goes on; its own failures are its to handle. */
export type RetryListener = (notice: RetryNotice) => void | Promise<void>;

/** Whether an object is being deleted, and what still holds it. */
export function deletionState(obj: KubeObject): { deleting: boolean; pendingFinalizers: string[] } {
  return { deleting: Boolean(obj.metadata?.deletionTimestamp), pendingFinalizers: [...(obj.metadata?.finalizers ?? [])] };
}

/** The reference of an object as written (its apiVersion gives group and version). */
export function refOf(obj: KubeObject): ObjectRef {
  return {
    group: groupOf(obj.apiVersion),
    version: versionOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata?.namespace,
    name: obj.metadata?.name ?? '',
  };
}
