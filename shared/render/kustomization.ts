/**
 * Reading one kustomization file: every path it names (with its line), so the scan can confine and
 * check them before kustomize runs, and the refusal of what gitwave never lets kustomize do: inflate
 * Helm charts unless the AppProject allows it (GHSA-fw5c-w8rc-j7fx; kustomize-helm.ts), run exec
 * plugins or KRM functions. Builtin transformers and generators (`apiVersion: builtin`) are allowed.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { isRecord } from '../model/object.ts';
import { renderError } from './errors.ts';
import type { KustomizeHelmPolicy } from '../model/kustomize-helm.ts';
import { readHelmCharts, type KustomizationCharts } from './kustomize-helm.ts';
import { parseManifestStream } from './yaml.ts';

/** Names kustomize looks for, in its order. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/**
 * What a path names: a resource (manifest file or kustomization folder), a component folder, a YAML
 * file kustomize parses (patch, configuration, CRD, OpenAPI, replacement), a file a generator reads
 * as data, or a transformer/generator/validator configuration.
 */
export type RefKind = 'resource' | 'component' | 'yaml' | 'data' | 'plugin';

export interface KustomizationRef {
  kind: RefKind;
  /** The field, e.g. `resources` or `configMapGenerator[0].files`. */
  field: string;
  entry: string;
  line: number;
}

export interface Kustomization {
  value: Record<string, unknown>;
  refs: KustomizationRef[];
  /** Its `helmCharts` (only when the project allows them; else reading refuses them). */
  charts?: KustomizationCharts;
}

const REFUSED_FIELDS: Readonly<Record<string, string>> = {
  helmChartInflationGenerator: 'helmChartInflationGenerator is refused: use helmCharts (allowed per AppProject, docs/helm.md)',
};

const LIST_FIELDS: ReadonlyArray<[string, RefKind]> = [
  ['resources', 'resource'], ['bases', 'resource'], ['components', 'component'],
  ['configurations', 'yaml'], ['crds', 'yaml'],
  ['transformers', 'plugin'], ['generators', 'plugin'], ['validators', 'plugin'],
];

const FUNCTION_ANNOTATIONS = ['config.kubernetes.io/function', 'config.k8s.io/function'];

/**
 * A kustomization and every path it names. Throws RenderError for malformed YAML and for refused
 * fields or plugins (with the line); `helmCharts` only pass when `helm` (the project) allows them.
 */
export function readKustomization(text: string, file: string, maxAliasCount: number, helm?: KustomizeHelmPolicy): Kustomization {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const stream = parseManifestStream(text, file, maxAliasCount);
  if (stream.problems.length > 0) throw renderError(file, stream.problems[0].message, stream.problems[0].line);
  const value = stream.documents[0]?.value ?? {};
  if (!isRecord(value) || stream.documents.length > 1) throw renderError(file, 'a kustomization must be one YAML mapping', 1);
  const lineOf = (path: Array<string | number>): number => lineOfPath(doc, lineCounter, path);
  for (const [field, reason] of Object.entries(REFUSED_FIELDS)) {
    if (field in value) throw renderError(file, reason, lineOf([field]));
  }
  const charts = readHelmCharts(value, file, lineOf, helm);
  return { value, refs: collectRefs(value, lineOf, file, maxAliasCount), ...(charts ? { charts } : {}) };
}

function collectRefs(k: Record<string, unknown>, lineOf: (p: Array<string | number>) => number, file: string, maxAlias: number): KustomizationRef[] {
  const refs: KustomizationRef[] = [];
  const add = (kind: RefKind, field: string, entry: unknown, path: Array<string | number>): void => {
    if (typeof entry === 'string' && entry !== '') refs.push({ kind, field, entry, line: lineOf(path) });
  };
  for (const [field, kind] of LIST_FIELDS) {
    strings(k[field]).forEach((entry, i) => {
      if (kind === 'plugin' && entry.includes('\n')) checkPluginConfig(entry, file, lineOf([field, i]), maxAlias);
      else add(kind, field, entry, [field, i]);
    });
  }
  strings(k.patchesStrategicMerge).forEach((entry, i) => {
    if (!entry.includes('\n')) add('yaml', 'patchesStrategicMerge', entry, ['patchesStrategicMerge', i]);
  });
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    records(k[field]).forEach((item, i) => add('yaml', `${field}[${i}].path`, item.path, [field, i, 'path']));
  }
  if (isRecord(k.openapi)) add('yaml', 'openapi.path', k.openapi.path, ['openapi', 'path']);
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    records(k[field]).forEach((gen, i) => {
      strings(gen.files).forEach((entry, j) => add('data', `${field}[${i}].files`, fileOfSource(entry), [field, i, 'files', j]));
      strings(gen.envs).forEach((entry, j) => add('data', `${field}[${i}].envs`, entry, [field, i, 'envs', j]));
      add('data', `${field}[${i}].env`, gen.env, [field, i, 'env']);
    });
  }
  return refs;
}

/** `key=path` or `path` (a generator's files entry) → the path. */
function fileOfSource(entry: string): string {
  const eq = entry.indexOf('=');
  return eq < 0 ? entry : entry.slice(eq + 1);
}

/**
 * Refuses a transformer/generator/validator configuration that is not a builtin kustomize plugin:
 * exec and Go plugins, KRM functions (container, exec or starlark) and Helm inflation.
 */
export function checkPluginConfig(text: string, file: string, line: number, maxAliasCount: number): void {
  const stream = parseManifestStream(text, file, maxAliasCount);
  if (stream.problems.length > 0) throw renderError(file, stream.problems[0].message, line);
  for (const doc of stream.documents) {
    const config = isRecord(doc.value) ? doc.value : {};
    const meta = isRecord(config.metadata) ? config.metadata : {};
    const annotations = isRecord(meta.annotations) ? meta.annotations : {};
    const docLine = line + doc.line - 1;
    if (FUNCTION_ANNOTATIONS.some((a) => a in annotations)) {
      throw renderError(file, 'KRM functions are refused: only builtin transformers and generators run', docLine);
    }
    if (config.kind === 'HelmChartInflationGenerator') {
      throw renderError(file, 'HelmChartInflationGenerator is refused: use helmCharts (allowed per AppProject, docs/helm.md)', docLine);
    }
    if (config.apiVersion !== 'builtin') {
      throw renderError(file, `plugin ${String(config.kind ?? '(no kind)')} is refused: exec and Go plugins never run; use apiVersion: builtin`, docLine);
    }
  }
}

function lineOfPath(doc: Document, lineCounter: LineCounter, path: Array<string | number>): number {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
      const range = (pair?.key as { range?: number[] } | null)?.range;
      if (range) return lineCounter.linePos(range[0]).line;
    }
    const node = doc.getIn(path.slice(0, depth), true) as { range?: number[] } | undefined;
    if (node?.range) return lineCounter.linePos(node.range[0]).line;
  }
  return 1;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function records(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
