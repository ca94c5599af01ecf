/**
 * A kustomization source: scan (confine, refuse remote and plugins, cap and parse every file), copy
 * exactly the checked bytes into a scratch folder with the same layout, apply the Application's
 * kustomize options to the copy's kustomization (kustomization-text.ts), build it with the real kustomize, and map each
 * output object back to the file it came from. Provenance uses kustomize's own origin annotations
 * (`buildMetadata: [originAnnotations]`, added to the copy and stripped from the output unless the
 * repository asked for them); they do not change names, hashes or anything else.
 */
import { posix } from 'node:path';
import { parse } from 'yaml';
import { isRecord } from '../model/object.ts';
import type { ConfinedTree } from './confine.ts';
import { renderError } from './errors.ts';
import { PlaceholderCounter, restoreGenerateName, withNamePlaceholders } from './generate-name.ts';
import type { HelmCommand } from './helm-binary.ts';
import { fetchCharts } from './kustomize-helm.ts';
import { runKustomize, type KustomizeCommand } from './kustomize-run.ts';
import { scanKustomize, type KustomizeScan } from './kustomize-scan.ts';
import { editKustomizationText } from './kustomization-text.ts';
import type { SourcedValue } from './objects.ts';
import { withScratch, writeTree } from './scratch.ts';
import type { KustomizeHelmPolicy } from '../model/kustomize-helm.ts';
import type { BuildEnv, KustomizeSourceOptions, RenderLimits } from './types.ts';
import { parseManifestStream, type ParsedDocument } from './yaml.ts';

const ORIGIN = 'config.kubernetes.io/origin';

export interface KustomizeDeps {
  command: KustomizeCommand;
  limits: RenderLimits;
  /** Where scratch folders go (default: the OS temp folder). */
  scratchParent?: string;
  /** Runs one kustomize process under the renderer's concurrency limit. */
  schedule: <T>(job: () => Promise<T>) => Promise<T>;
  /** The helm kustomize runs for `helmCharts` (only asked for when a kustomization has some). */
  helm: () => Promise<HelmCommand>;
}

/** What kustomize rendered, and whether it inflated Helm charts. */
export interface KustomizeOutput {
  values: SourcedValue[];
  usedHelm: boolean;
}

/**
 * The documents kustomize renders for `path`, each with its source file. `helmCharts` pass only when
 * `kustomizeHelm` (the project) allows them. Throws RenderError.
 */
export async function renderKustomization(
  tree: ConfinedTree,
  path: string,
  options: KustomizeSourceOptions,
  env: BuildEnv,
  deps: KustomizeDeps,
  kustomizeHelm?: KustomizeHelmPolicy,
): Promise<KustomizeOutput> {
  const components = await existingComponents(tree, path, options);
  const patchFiles = (options.patches ?? []).flatMap((p) => (p.path ? [p.path] : []));
  const scan = await scanKustomize(tree, path, { components, patchFiles, ...(kustomizeHelm ? { kustomizeHelm } : {}) });
  const usedHelm = scan.charts > 0;
  const top = scan.kustomizations.get(path)!;
  const { text, keepOrigin } = editKustomizationText(scan.files.get(top)!.toString('utf8'), top, { ...options, components }, env);
  const files = scratchFiles(scan);
  files.set(top, text);
  const output = await withScratch(deps.scratchParent, async (dir) => {
    await writeTree(dir, files);
    await fetchCharts(dir, scan.fetches, deps.limits);
    const extraArgs = usedHelm ? helmArgs((await deps.helm()).executable, options) : [];
    const run = { dir: posix.join(dir, path), home: dir, timeoutMs: deps.limits.timeoutMs, maxOutputBytes: deps.limits.maxOutputBytes, label: top, extraArgs };
    return deps.schedule(() => runKustomize(deps.command, run));
  });
  const stream = parseManifestStream(output, top, deps.limits.maxAliasCount);
  if (stream.problems.length > 0) throw renderError(top, `kustomize output cannot be read: ${stream.problems[0].message}`);
  const values = stream.documents.map((doc) => {
    restoreGenerateName(doc.value);
    return { value: doc.value, source: sourceOf(doc.value, path, top, scan, keepOrigin) };
  });
  return { values, usedHelm };
}

/** kustomize's Helm flags: the one helm, and the Application's `kubeVersion` / `apiVersions` as Argo CD passes them. */
function helmArgs(helm: string, options: KustomizeSourceOptions): string[] {
  return [
    '--enable-helm', '--helm-command', helm,
    ...(options.kubeVersion ? ['--helm-kube-version', options.kubeVersion] : []),
    ...(options.apiVersions ?? []).flatMap((v) => ['--helm-api-versions', v]),
  ];
}

/** The checked files, with placeholder names on generateName documents (see generate-name.ts). */
function scratchFiles(scan: KustomizeScan): Map<string, Buffer | string> {
  const files = new Map<string, Buffer | string>(scan.files);
  const counter = new PlaceholderCounter();
  for (const rel of scan.manifests.keys()) {
    const rewritten = withNamePlaceholders(scan.files.get(rel)!.toString('utf8'), counter);
    if (rewritten !== undefined) files.set(rel, rewritten);
  }
  return files;
}

/** The Application's components, without the missing ones when `ignoreMissingComponents` is set. */
async function existingComponents(tree: ConfinedTree, path: string, options: KustomizeSourceOptions): Promise<string[]> {
  const all = [...(options.components ?? [])];
  if (!options.ignoreMissingComponents) return all;
  const kept: string[] = [];
  for (const component of all) {
    const rel = tree.resolveEntry(path, component, { file: 'spec.source.kustomize.components' });
    if ((await tree.kindOf(rel, { file: rel })) !== 'missing') kept.push(component);
  }
  return kept;
}

/** Where an output object came from, read from (and, unless kept, removed from) its origin annotation. */
function sourceOf(value: unknown, path: string, top: string, scan: KustomizeScan, keepOrigin: boolean): { file: string; document: number; line: number } {
  const fallback = { file: top, document: 0, line: 1 };
  if (!isRecord(value) || !isRecord(value.metadata) || !isRecord(value.metadata.annotations)) return fallback;
  const annotations = value.metadata.annotations;
  const origin = annotations[ORIGIN];
  if (!keepOrigin) {
    delete annotations[ORIGIN];
    if (Object.keys(annotations).length === 0) delete value.metadata.annotations;
  }
  const parsed: unknown = typeof origin === 'string' ? safeParse(origin) : undefined;
  if (!isRecord(parsed)) return fallback;
  if (typeof parsed.path === 'string') {
    const file = posix.normalize(posix.join(path, parsed.path));
    return { file, ...documentOf(value, scan.manifests.get(file) ?? []) };
  }
  if (typeof parsed.configuredIn === 'string') {
    return { file: posix.normalize(posix.join(path, parsed.configuredIn)), document: 0, line: 1 };
  }
  return fallback;
}

/** The source document an output object most likely came from: same kind, and a name it contains. */
function documentOf(value: Record<string, unknown>, docs: readonly ParsedDocument[]): { document: number; line: number } {
  const name = nameOf(value);
  const sameKind = docs.filter((d) => isRecord(d.value) && d.value.kind === value.kind);
  const best = sameKind.find((d) => nameOf(d.value) === name)
    ?? sameKind.find((d) => nameOf(d.value) !== '' && name.includes(nameOf(d.value)))
    ?? sameKind[0] ?? docs[0];
  return best ? { document: best.index, line: best.line } : { document: 0, line: 1 };
}

/** metadata.name, else metadata.generateName, else "". */
function nameOf(value: unknown): string {
  const meta = isRecord(value) && isRecord(value.metadata) ? value.metadata : {};
  return typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? meta.generateName : '';
}

function safeParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}
