/**
 * The pre-build scan of a kustomization graph. Starting at the source folder it reads every
 * kustomization reachable through resources, bases and components, and every file they name
 * (patches, generator files, configurations, CRDs, OpenAPI, replacements, transformer configs).
 * Each path is confined to the root, remote entries are refused by shape, and every YAML file is
 * parsed under the alias cap, so kustomize is only ever handed files that passed these checks:
 * the renderer copies exactly the bytes read here into a scratch folder and builds that.
 */
import type { KustomizeHelmPolicy } from '../model/kustomize-helm.ts';
import type { ConfinedTree, NamedAt } from './confine.ts';
import { readChartFiles } from './helm-render.ts';
import { chartFolder, type ChartFetch, type KustomizationCharts } from './kustomize-helm.ts';
import { posix } from 'node:path';
import { RenderError, renderError, type RenderProblem } from './errors.ts';
import { checkPluginConfig, KUSTOMIZATION_NAMES, readKustomization, type KustomizationRef } from './kustomization.ts';
import { looksRemote, quoteEntry } from './remote.ts';
import { parseManifestStream, type ParsedDocument } from './yaml.ts';

export interface KustomizeScan {
  /** Every file kustomize may read, by root-relative path, with the bytes that were checked. */
  files: Map<string, Buffer>;
  /** The parsed documents of each manifest file named as a resource (for provenance). */
  manifests: Map<string, ParsedDocument[]>;
  /** The kustomization file of each folder visited. */
  kustomizations: Map<string, string>;
  /** Charts of `helmCharts` to fetch from chart repositories into the scratch copy (kustomize-helm.ts). */
  fetches: ChartFetch[];
  /** How many `helmCharts` entries the graph has (kustomize then runs with `--enable-helm`). */
  charts: number;
}

/** Paths the Application adds on top of the kustomization (relative to the source folder). */
export interface ScanExtras {
  components?: readonly string[];
  patchFiles?: readonly string[];
  /** The project's word on `helmCharts` (absent: refused). */
  kustomizeHelm?: KustomizeHelmPolicy;
}

/** The kustomization file of a folder, or undefined; two of them is an error, as in kustomize. */
export async function findKustomizationFile(tree: ConfinedTree, dir: string, at: NamedAt): Promise<string | undefined> {
  const found: string[] = [];
  for (const name of KUSTOMIZATION_NAMES) {
    const rel = dir === '.' ? name : `${dir}/${name}`;
    if ((await tree.kindOf(rel, at)) === 'file') found.push(rel);
  }
  if (found.length > 1) throw renderError(found[0], `found ${found.length} kustomization files in one folder; keep one`);
  return found[0];
}

/** Scans the graph from `start` (a folder holding a kustomization). Throws RenderError. */
export async function scanKustomize(tree: ConfinedTree, start: string, extras: ScanExtras = {}): Promise<KustomizeScan> {
  const scanner = new Scanner(tree, extras.kustomizeHelm);
  await scanner.visitDir(start, { file: start }, 0);
  const at = { file: scanner.kustomizations.get(start) ?? start };
  for (const component of extras.components ?? []) {
    await scanner.visitRef(start, at.file, { kind: 'component', field: 'spec.source.kustomize.components', entry: component, line: 0 }, 1);
  }
  for (const patch of extras.patchFiles ?? []) {
    await scanner.visitRef(start, at.file, { kind: 'yaml', field: 'spec.source.kustomize.patches', entry: patch, line: 0 }, 1);
  }
  if (scanner.problems.length > 0) throw new RenderError(scanner.problems);
  return { files: scanner.files, manifests: scanner.manifests, kustomizations: scanner.kustomizations, fetches: scanner.fetches, charts: scanner.charts };
}

class Scanner {
  readonly files = new Map<string, Buffer>();
  readonly manifests = new Map<string, ParsedDocument[]>();
  readonly kustomizations = new Map<string, string>();
  readonly problems: RenderProblem[] = [];
  readonly fetches: ChartFetch[] = [];
  charts = 0;

  constructor(private readonly tree: ConfinedTree, private readonly helm?: KustomizeHelmPolicy) {}

  async visitDir(dir: string, at: NamedAt, depth: number): Promise<void> {
    if (this.kustomizations.has(dir)) return;
    if (depth > this.tree.limits.maxDepth) throw renderError(at.file, `kustomizations nest deeper than ${this.tree.limits.maxDepth} levels`, at.line);
    const file = await findKustomizationFile(this.tree, dir, at);
    if (file === undefined) throw renderError(at.file, `folder "${dir}" has no kustomization.yaml`, at.line);
    this.kustomizations.set(dir, file);
    const text = (await this.read(file, at)).toString('utf8');
    const kustomization = readKustomization(text, file, this.tree.limits.maxAliasCount, this.helm);
    for (const ref of kustomization.refs) await this.visitRef(dir, file, ref, depth);
    if (kustomization.charts) await this.visitCharts(dir, file, kustomization.charts, depth);
  }

  /**
   * Each chart: vendored under the chart home (copied, every file checked), else fetched from its
   * repository before kustomize runs; its value files are read like any data file.
   */
  private async visitCharts(dir: string, file: string, { chartHome, charts }: KustomizationCharts, depth: number): Promise<void> {
    this.charts += charts.length;
    for (const chart of charts) {
      const at = { file, line: chart.line };
      const folder = this.tree.resolveEntry(dir, chartFolder(chartHome, chart), at);
      const kind = await this.tree.kindOf(folder, at);
      if (kind === 'dir') {
        for (const [rel, bytes] of await readChartFiles(this.tree, folder)) this.files.set(posix.join(folder, rel), bytes);
      } else if (chart.repo !== undefined && chart.version !== undefined) {
        this.fetches.push({ source: { repoURL: chart.repo, chart: chart.name, version: chart.version }, into: folder, file, field: chart.field, line: chart.line });
      } else {
        throw renderError(file, `${chart.field}: no chart at "${folder}" and no repo to fetch it from`, chart.line);
      }
      const values = [...(chart.valuesFile ? [['valuesFile', chart.valuesFile]] : []), ...chart.additionalValuesFiles.map((f) => ['additionalValuesFiles', f])];
      for (const [key, entry] of values) await this.visitRef(dir, file, { kind: 'data', field: `${chart.field}.${key}`, entry, line: chart.line }, depth);
    }
  }

  async visitRef(dir: string, file: string, ref: KustomizationRef, depth: number): Promise<void> {
    const at = { file, line: ref.line || undefined };
    if (looksRemote(ref.entry)) {
      throw renderError(file, `remote ${ref.field} entry ${quoteEntry(ref.entry)} is refused: only files in the repository are rendered`, at.line);
    }
    const rel = this.tree.resolveEntry(dir, ref.entry, at);
    const kind = await this.tree.kindOf(rel, at);
    if (kind === 'missing') throw renderError(file, `${ref.field} entry ${quoteEntry(ref.entry)} does not exist`, at.line);
    if (kind === 'dir' && (ref.kind === 'resource' || ref.kind === 'component')) return this.visitDir(rel, at, depth + 1);
    if (kind === 'dir') throw renderError(file, `${ref.field} entry ${quoteEntry(ref.entry)} is a folder; a file is expected`, at.line);
    if (ref.kind === 'component') throw renderError(file, `component ${quoteEntry(ref.entry)} must be a folder with a kustomization`, at.line);
    const bytes = await this.read(rel, at);
    if (ref.kind === 'data') return;
    if (ref.kind === 'plugin') return checkPluginConfig(bytes.toString('utf8'), rel, 1, this.tree.limits.maxAliasCount);
    this.parse(rel, bytes, ref.kind === 'resource');
  }

  private parse(rel: string, bytes: Buffer, isManifest: boolean): void {
    if (this.manifests.has(rel)) return;
    const stream = parseManifestStream(bytes.toString('utf8'), rel, this.tree.limits.maxAliasCount);
    this.problems.push(...stream.problems);
    if (isManifest) this.manifests.set(rel, stream.documents);
  }

  private async read(rel: string, at: NamedAt): Promise<Buffer> {
    const known = this.files.get(rel);
    if (known) return known;
    const bytes = await this.tree.readFile(rel, at);
    this.files.set(rel, bytes);
    return bytes;
  }
}
