/**
 * The vocabulary of a sync plan: settings in, tasks out. A task is one apply, hook creation or prune
 * (SPEC-sync, "Terms"); a plan is the tasks in execution order plus what made some invalid.
 */
import type { KubeObject, ResourceKey } from '../model/object.ts';
import type { HookDeletePolicy, SyncPhase } from '../model/annotations.ts';

/** Labels and annotations put on a namespace made by `CreateNamespace=true` (§3). */
export interface ManagedNamespaceMetadata {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** What the planner needs to know about the Application and the operation. */
export interface PlanSettings {
  /** Tracking app instance (§5.5): the app name, or `<appNs>_<appName>`. */
  appInstance: string;
  /** `spec.destination.namespace`; "" when the Application names none. */
  destinationNamespace: string;
  /** `spec.syncPolicy.syncOptions` (or the operation's), `Key=Value` entries. */
  syncOptions?: readonly string[];
  /** The operation's prune flag. */
  prune: boolean;
  /** The resolved revision (a commit SHA); generateName hooks take its first 7 characters. */
  revision: string;
  /** Operation start, unix seconds; generateName hooks take it in their name. */
  startedAt: number;
  /** An operation-level dry run: nothing is changed, applies succeed at once. */
  dryRun?: boolean;
  /** `syncStrategy.apply` (rollback included): no hooks run (§2.8). */
  skipHooks?: boolean;
  /** A selective sync: only these resources; hooks are skipped (§2.8). */
  resources?: readonly ResourceKey[];
  /** `syncStrategy.*.force`. */
  force?: boolean;
  /** `spec.syncPolicy.managedNamespaceMetadata`. */
  managedNamespaceMetadata?: ManagedNamespaceMetadata;
  /** The app's `argocd.argoproj.io/deletion-approved` annotation (RFC 3339), for `Prune=confirm`. */
  deletionApprovedAt?: string;
}

/** What a task does. `create-namespace` is the namespace of `CreateNamespace=true`. */
export type TaskAction = 'apply' | 'prune' | 'create-namespace';

/** Per-task options resolved from the object's annotation and the app (§3). */
export interface TaskOptions {
  /** `Validate=false` turns validation off. */
  validate: boolean;
  /** `Replace=true`: create/replace instead of apply (CRDs and Namespaces are updated in place). */
  replace: boolean;
  /** `Force=true` or the strategy's force: delete and recreate on conflict. */
  force: boolean;
  /** `Prune=false` (no prune) or `Prune=confirm` (wait for approval), read on the live object. */
  prune: 'true' | 'false' | 'confirm';
  /** `RespectIgnoreDifferences=true`: keep live values of ignored fields when the object exists. */
  respectIgnoreDifferences: boolean;
}

/** One task of a plan. */
export interface SyncTask {
  /** Result key: `group/kind/namespace/name:phase` (namespace "" for cluster-scoped kinds). */
  id: string;
  key: ResourceKey;
  apiVersion: string;
  phase: SyncPhase;
  wave: number;
  action: TaskAction;
  hook: boolean;
  /** The object to apply: name, namespace, hook finalizer and tracking id set. Absent for prunes. */
  target?: KubeObject;
  live?: KubeObject;
  /** Hooks only (BeforeHookCreation when none is set); [] for resources. */
  deletePolicies: HookDeletePolicy[];
  /**
   * Not sent to the server in a dry run: the GVK is not served yet (its CRD comes in this sync, or
   * SkipDryRunOnMissingResource), or the object's namespace is made by this sync.
   */
  skipDryRun: boolean;
  /** Why `skipDryRun` is set (`its kind is not served yet`, `namespace <ns> does not exist yet`). */
  skipDryRunReason?: string;
  options: TaskOptions;
  /** Why the task will not change anything: `prune disabled`, `Prune=false`, `unchanged`. */
  skipped?: string;
}

/** A problem found while planning. `key` names the object when there is one. */
export interface PlanIssue {
  key?: ResourceKey;
  message: string;
}

export type PropagationPolicy = 'foreground' | 'background' | 'orphan';

/** The plan of one sync operation. */
export interface SyncPlan {
  settings: PlanSettings;
  /** Every task, in execution order (SyncFail hooks last). */
  tasks: SyncTask[];
  /** Validation failures (§1.1 step 4): the operation fails before anything is applied. */
  errors: PlanIssue[];
  /** Things a person should know: unknown kinds, ignored options, repeated or ignored manifests. */
  warnings: PlanIssue[];
  propagationPolicy: PropagationPolicy;
  applyOutOfSyncOnly: boolean;
  /** `Prune=confirm` prunes may run: `deletion-approved` is at or after the operation start. */
  pruneConfirmed: boolean;
  /** `FailOnSharedResource=true` and a desired object is tracked by another app: the sync fails at once. */
  sharedResourceError?: string;
  /** The task whose namespace is made before the dry run (`CreateNamespace=true`), if any. */
  namespaceTaskId?: string;
}

/** Inputs of `planSync`. */
export interface SyncPlanInput {
  /** Rendered manifests, as they are in Git. */
  desired: readonly KubeObject[];
  /** Live objects of the cluster (those tracked to the app, and any that may match a desired key). */
  live?: readonly KubeObject[];
  settings: PlanSettings;
  /**
   * Whether the cluster serves a GVK. Without it, built-in kinds are checked against the built-in
   * table and unknown kinds are planned with a warning that they must exist on the cluster.
   */
  isServed?: (apiVersion: string, kind: string) => boolean;
  /** The project check (§7.2): a message when the object is not permitted. */
  checkProject?: (task: SyncTask) => string | undefined;
  /** The diff's verdict, for `ApplyOutOfSyncOnly` (undefined = unknown, treated as modified). */
  isModified?: (key: ResourceKey) => boolean | undefined;
}
