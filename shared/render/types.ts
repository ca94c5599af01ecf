/**
 * The vocabulary of rendering: what a caller asks for (a folder of a local checkout plus the
 * Application's source options), what it gets back (objects with where each came from), and the
 * caps that keep an untrusted repository from exhausting the renderer (SECURITY.md §1, §7 rows 15–21).
 *
 * The option shapes mirror Argo CD's `spec.source.kustomize` / `spec.source.directory` field names,
 * so the `ApplicationSource` of shared/model/application-types.ts can be passed as it is.
 */
import type { KubeObject } from '../model/object.ts';
import type { KustomizeHelmPolicy } from '../model/kustomize-helm.ts';

/** `spec.source.kustomize` as Argo CD spells it; every field optional. */
export interface KustomizeSourceOptions {
  namePrefix?: string;
  nameSuffix?: string;
  /** `name=new:tag`, `name:tag`, `name@digest`, `name=new@digest` (kustomize edit set image). */
  images?: readonly string[];
  replicas?: ReadonlyArray<{ name: string; count: number | string }>;
  commonLabels?: Readonly<Record<string, string>>;
  forceCommonLabels?: boolean;
  labelWithoutSelector?: boolean;
  labelIncludeTemplates?: boolean;
  commonAnnotations?: Readonly<Record<string, string>>;
  forceCommonAnnotations?: boolean;
  commonAnnotationsEnvsubst?: boolean;
  namespace?: string;
  patches?: readonly KustomizeSourcePatch[];
  components?: readonly string[];
  ignoreMissingComponents?: boolean;
  /** Accepted and ignored: gitwave runs its one kustomize (reported as a warning when set). */
  version?: string;
  /** Helm-only in Argo CD; accepted and ignored for kustomize. */
  kubeVersion?: string;
  apiVersions?: readonly string[];
}

/** One entry of `kustomize.patches` (a kustomize `patches:` item). */
export interface KustomizeSourcePatch {
  path?: string;
  patch?: string;
  target?: {
    readonly group?: string;
    readonly version?: string;
    readonly kind?: string;
    readonly name?: string;
    readonly namespace?: string;
    readonly labelSelector?: string;
    readonly annotationSelector?: string;
  };
  options?: Readonly<Record<string, boolean>>;
}

/** `spec.source.directory`: plain YAML/JSON files. */
export interface DirectorySourceOptions {
  recurse?: boolean;
  /** Glob over the path relative to the source folder; `{a,b}` lists allowed; `*` crosses `/`. */
  include?: string;
  exclude?: string;
}

/** `spec.source.helm` as Argo CD spells it (helm-options.ts turns it into `helm template` flags). */
export interface HelmSourceOptions {
  /** Default: the Application's name. */
  releaseName?: string;
  /** Files of the repository (of the chart, for a chart repository), relative to the chart folder. */
  valueFiles?: readonly string[];
  ignoreMissingValueFiles?: boolean;
  /** A YAML document of values; `valuesObject` wins when both are set, as in Argo CD. */
  values?: string;
  valuesObject?: Readonly<Record<string, unknown>>;
  parameters?: ReadonlyArray<{ name: string; value: string; forceString?: boolean }>;
  fileParameters?: ReadonlyArray<{ name: string; path: string }>;
  skipCrds?: boolean;
  skipTests?: boolean;
  skipSchemaValidation?: boolean;
  /** Default: the destination namespace. */
  namespace?: string;
  kubeVersion?: string;
  apiVersions?: readonly string[];
}

/** A chart from an HTTP(S) chart repository (`spec.source.chart`, `repoURL`, `targetRevision`). */
export interface ChartRepositorySource {
  repoURL: string;
  chart: string;
  /** The exact chart version (Argo CD's `targetRevision`). */
  version: string;
}

/** The part of an Application source that changes the render. */
export interface RenderSourceOptions {
  kustomize?: KustomizeSourceOptions;
  directory?: DirectorySourceOptions;
  helm?: HelmSourceOptions;
  /** Set for a chart repository source: the chart is fetched, `root` and `path` are not read. */
  chart?: ChartRepositorySource;
}

/** `ARGOCD_APP_*` values substituted into images, labels and (opt-in) annotations. */
export type BuildEnv = Readonly<Record<string, string>>;

/** One render: a folder of a local directory tree, confined to `root`. */
export interface RenderRequest {
  /** The checkout or working tree. Nothing outside it is read. */
  root: string;
  /** The source folder, relative to `root` (`.` or `` for the root itself). */
  path: string;
  source?: RenderSourceOptions;
  /** Values for `${ARGOCD_APP_*}` substitution (see buildEnv). */
  env?: BuildEnv;
  /** Repository URL and full commit SHA: when both are given the render is cached under them. */
  origin?: { repo: string; commit: string };
  /**
   * Facts about the destination a Helm chart may read (`.Capabilities`); the Application's
   * `helm.kubeVersion` / `apiVersions` win. Absent: helm's built-in defaults (docs/render.md).
   */
  cluster?: { kubeVersion?: string; apiVersions?: readonly string[] };
  /** The Application's name: Helm's default release name. */
  appName?: string;
  /** The destination namespace: Helm's default `--namespace`. */
  namespace?: string;
  /**
   * The Application's project as far as kustomize `helmCharts` go: refused unless `allowed`; then
   * every chart repository must pass `sourceRepos`. Absent: `helmCharts` is refused.
   */
  kustomizeHelm?: KustomizeHelmPolicy;
}

/** Where a rendered object came from, for error messages and lint findings. */
export interface ObjectSource {
  /** Path relative to the render root, `/`-separated. */
  file: string;
  /** 0-based index of the YAML document in that file. */
  document: number;
  /** 1-based line where that document starts. */
  line: number;
}

export interface RenderedObject {
  object: KubeObject;
  source: ObjectSource;
}

export interface RenderResult {
  /** `helm` for a chart, `kustomize` when the folder holds a kustomization, else `directory`. */
  type: 'helm' | 'kustomize' | 'directory';
  objects: RenderedObject[];
  /** Things a person should know that did not stop the render (ignored options…). */
  warnings: string[];
}

/** Caps on what one render may read, run and produce. */
export interface RenderLimits {
  /** Largest single file read (bytes). */
  maxFileBytes: number;
  /** Sum of all files read for one render (bytes). */
  maxTotalBytes: number;
  /** Files and folders visited for one render. */
  maxFiles: number;
  /** Nesting of folders and of kustomizations. */
  maxDepth: number;
  /** YAML alias expansions per document (the `yaml` package's maxAliasCount). */
  maxAliasCount: number;
  /** Wall-clock limit of one kustomize run (ms). */
  timeoutMs: number;
  /** Largest kustomize output accepted (bytes). */
  maxOutputBytes: number;
  /** Largest chart archive or index.yaml downloaded from a chart repository (bytes). */
  maxChartBytes: number;
}

/**
 * Defaults sized for real manifest repositories: Argo CD's own fix for GHSA-jhqp-vf4w-rpwq caps a
 * manifest at 10 MB; large CRD bundles stay under 16 MiB per file.
 */
export const DEFAULT_RENDER_LIMITS: Readonly<RenderLimits> = Object.freeze({
  maxFileBytes: 16 * 1024 * 1024,
  maxTotalBytes: 64 * 1024 * 1024,
  maxFiles: 10_000,
  maxDepth: 32,
  maxAliasCount: 100,
  timeoutMs: 60_000,
  maxOutputBytes: 64 * 1024 * 1024,
  maxChartBytes: 16 * 1024 * 1024,
});
