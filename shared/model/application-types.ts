/**
 * The Argo CD `argoproj.io/v1alpha1` Application as gitwave holds it after parsing: every default
 * filled in (targetRevision `HEAD`, revisionHistoryLimit 10, retry backoff 5 s × 2 up to 3 m…), and
 * durations as seconds, so the planner and auto-sync code never re-interpret user text.
 */

export interface Application {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: ApplicationMetadata;
  spec: ApplicationSpec;
}

export interface ApplicationMetadata {
  name: string;
  /** The namespace the Application lives in (Argo CD's control plane namespace, usually `argocd`). */
  namespace?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** `resources-finalizer.argocd.argoproj.io[/background]` decide cascade deletion (see cascadeOf). */
  finalizers: string[];
}

export interface ApplicationSpec {
  /** AppProject name; `default` when the Application names none. */
  project: string;
  source: ApplicationSource;
  destination: ApplicationDestination;
  syncPolicy: SyncPolicy;
  ignoreDifferences: IgnoreDifference[];
  /** How many history entries to keep (default 10; 0 keeps none). */
  revisionHistoryLimit: number;
  /** Free-form name/value pairs shown to people (Argo CD's `info`). */
  info: Array<{ name: string; value: string }>;
}

export interface ApplicationSource {
  repoURL: string;
  /** Branch, tag, SHA or `HEAD` (the default); resolved to a SHA when an operation starts. */
  targetRevision: string;
  /** Folder inside the repository, relative and normalised (`.` for the root; no `..`). */
  path: string;
  /** Optional source name (Argo CD v3 allows naming a source). */
  name?: string;
  /** A chart of the Helm chart repository at `repoURL` (then `targetRevision` is its exact version). */
  chart?: string;
  kustomize?: KustomizeOptions;
  directory?: DirectoryOptions;
  helm?: HelmOptions;
}

/** `spec.source.helm`, Argo CD's semantics (docs/render.md). */
export interface HelmOptions {
  releaseName?: string;
  valueFiles: string[];
  ignoreMissingValueFiles: boolean;
  values?: string;
  valuesObject?: Record<string, unknown>;
  parameters: Array<{ name: string; value: string; forceString: boolean }>;
  fileParameters: Array<{ name: string; path: string }>;
  skipCrds: boolean;
  skipTests: boolean;
  skipSchemaValidation: boolean;
  namespace?: string;
  kubeVersion?: string;
  apiVersions: string[];
  /** `v3` (the only one) or absent. */
  version?: string;
}

export interface KustomizeOptions {
  namePrefix?: string;
  nameSuffix?: string;
  /** `name=new:tag`, `name:tag`, `name@digest` as for `kustomize edit set image`. */
  images: string[];
  replicas: Array<{ name: string; count: number }>;
  commonLabels: Record<string, string>;
  forceCommonLabels: boolean;
  labelWithoutSelector: boolean;
  labelIncludeTemplates: boolean;
  commonAnnotations: Record<string, string>;
  forceCommonAnnotations: boolean;
  /** Substitute `${ARGOCD_APP_*}` variables in commonAnnotations values. */
  commonAnnotationsEnvsubst: boolean;
  namespace?: string;
  components: string[];
  ignoreMissingComponents: boolean;
  patches: KustomizePatch[];
  /** A kustomize version name; gitwave runs its one bundled kustomize and reports a mismatch. */
  version?: string;
  kubeVersion?: string;
  apiVersions: string[];
}

export interface KustomizePatch {
  path?: string;
  patch?: string;
  target?: PatchTarget;
  options?: Record<string, boolean>;
}

export interface PatchTarget {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface DirectoryOptions {
  recurse: boolean;
  /** Glob of files to include (Argo CD syntax, `{a.yaml,b.yaml}` allowed). */
  include?: string;
  exclude?: string;
}

/** Exactly one of `server` and `name` is set. */
export interface ApplicationDestination {
  server?: string;
  name?: string;
  /** Default namespace for namespaced objects that name none. */
  namespace?: string;
}

export interface SyncPolicy {
  /** Absent = manual sync only. */
  automated?: AutomatedSync;
  /** `Key=Value` strings, validated against APP_SYNC_OPTIONS. */
  syncOptions: string[];
  /** Absent = no retry for manual syncs (auto-sync then uses `{limit: 5}`, SPEC-sync §6). */
  retry?: RetryPolicy;
  managedNamespaceMetadata?: { labels: Record<string, string>; annotations: Record<string, string> };
}

export interface AutomatedSync {
  /** `automated.enabled` (null/absent = on). */
  enabled: boolean;
  prune: boolean;
  selfHeal: boolean;
  allowEmpty: boolean;
}

export interface RetryPolicy {
  /** Retries after a failed attempt; negative = unlimited; 0 when `retry` omits it (as in Argo CD). */
  limit: number;
  backoff: RetryBackoff;
  /** Retry with the latest revision instead of the pinned one. */
  refresh: boolean;
}

export interface RetryBackoff {
  durationSeconds: number;
  factor: number;
  maxDurationSeconds: number;
}

export interface IgnoreDifference {
  /** "" for the core group. */
  group: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers: string[];
  /** Kept as written; the diff refuses them clearly while jq is not supported. */
  jqPathExpressions: string[];
  managedFieldsManagers: string[];
}
