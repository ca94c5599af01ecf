/**
 * The renderer: one entry point for every render (the render λ, `gitwave render`, `gitwave plan`,
 * `gitwave lint`). It decides the source type as Argo CD does (a chart repository or a `helm` block
 * is Helm; an explicit `directory` block is plain files; else a kustomization in the folder, else a
 * `Chart.yaml`, else plain files), runs at most `concurrency` kustomize or helm processes at
 * once, and, when the request names a repository and commit, reads and writes the render cache and
 * shares one in-flight render between identical concurrent requests, so no render is done twice.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeResult, encodeResult, renderCacheKey, type RenderCache } from './cache.ts';
import { ConfinedTree } from './confine.ts';
import { renderError } from './errors.ts';
import { readDirectorySource } from './directory-render.ts';
import { findHelm, type HelmCommand } from './helm-binary.ts';
import { renderHelm } from './helm-render.ts';
import { findKustomize, type KustomizeCommand } from './kustomize-run.ts';
import { renderKustomization } from './kustomize-render.ts';
import { findKustomizationFile } from './kustomize-scan.ts';
import { collectObjects } from './objects.ts';
import { DEFAULT_RENDER_LIMITS, type KustomizeSourceOptions, type RenderLimits, type RenderRequest, type RenderResult } from './types.ts';

export interface RendererOptions {
  limits?: Partial<RenderLimits>;
  /** Where renders of a repository + commit are kept (none: every render runs). */
  cache?: RenderCache;
  /** kustomize processes at once (default 2, the cores of a small Lambda). */
  concurrency?: number;
  /** The kustomize to run (default: found on PATH). */
  kustomize?: KustomizeCommand;
  /** The helm to run (default: findHelm: PATH, the Lambda layer, else the packaged binary). */
  helm?: () => Promise<HelmCommand>;
  /** Parent of the per-render scratch folders (default: the OS temp folder). */
  scratchParent?: string;
}

export class Renderer {
  readonly limits: RenderLimits;
  private readonly inFlight = new Map<string, Promise<RenderResult>>();
  private readonly queue: Array<() => void> = [];
  private running = 0;
  private command?: KustomizeCommand;
  private version?: Promise<string>;

  constructor(private readonly options: RendererOptions = {}) {
    this.limits = { ...DEFAULT_RENDER_LIMITS, ...options.limits };
    this.command = options.kustomize;
  }

  /**
   * The objects of one source folder. Throws RenderError for bad or refused input.
   * @example await new Renderer().render({ root: '/repo', path: 'api/orders/overlays/dev' })
   */
  async render(request: RenderRequest): Promise<RenderResult> {
    const key = await this.cacheKey(request);
    if (key === undefined) return this.renderNow(request);
    const cached = await this.options.cache!.get(key);
    if (cached !== undefined) return decodeResult(cached);
    const pending = this.inFlight.get(key);
    if (pending) return decodeResult(encodeResult(await pending));
    const work = this.renderNow(request).then(async (result) => {
      await this.options.cache!.put(key, encodeResult(result));
      return result;
    });
    this.inFlight.set(key, work);
    try {
      return await work;
    } finally {
      this.inFlight.delete(key);
    }
  }

  /**
   * The cache key of a request, or undefined when it is not cacheable (no cache, or no origin).
   * A Helm render's key also holds the release name, namespace and cluster capabilities it used,
   * and the helm version; a chart repository's origin is its URL and `chart@version`.
   */
  async cacheKey(request: RenderRequest): Promise<string | undefined> {
    if (!this.options.cache || !request.origin) return undefined;
    const usesEnv = hasKustomizeOptions(request.source?.kustomize);
    const helm = request.source?.helm !== undefined || request.source?.chart !== undefined;
    // A project that allows helmCharts: its sourceRepos decide what may render, and helm joins the tools.
    const kustomizeHelm = !helm && request.kustomizeHelm?.allowed ? request.kustomizeHelm : undefined;
    const tool = helm ? (await this.helmCommand()).version : await this.toolVersion();
    return renderCacheKey({
      ...request.origin,
      path: request.path,
      source: request.source,
      env: usesEnv ? request.env : undefined,
      ...(helm ? { context: { appName: request.appName, namespace: request.namespace, cluster: request.cluster } } : {}),
      ...(kustomizeHelm ? { context: { kustomizeHelm } } : {}),
      tool: kustomizeHelm ? `${tool} + ${(await this.helmCommand()).version}` : tool,
    });
  }

  private async renderNow(request: RenderRequest): Promise<RenderResult> {
    const source = request.source ?? {};
    if (source.chart || source.helm) return this.renderHelmNow(request);
    const tree = await ConfinedTree.open(request.root, this.limits);
    const path = tree.resolveEntry('.', request.path || '.', { file: 'spec.source.path' });
    const kustomization = source.directory ? undefined : await findKustomizationFile(tree, path, { file: path });
    if (kustomization === undefined && !source.directory && !hasKustomizeOptions(source.kustomize) && (await tree.kindOf(chartFile(path), { file: path })) === 'file') {
      return this.renderHelmNow({ ...request, path });
    }
    if (kustomization === undefined) {
      if (!source.directory && hasKustomizeOptions(source.kustomize)) {
        throw renderError(path, 'spec.source.kustomize is set but the folder has no kustomization.yaml');
      }
      return { type: 'directory', objects: collectObjects(await readDirectorySource(tree, path, source.directory)), warnings: [] };
    }
    const options = source.kustomize ?? {};
    const deps = { command: this.kustomizeCommand(), limits: this.limits, scratchParent: this.options.scratchParent, schedule: this.schedule, helm: () => this.helmCommand() };
    const { values, usedHelm } = await renderKustomization(tree, path, options, request.env ?? {}, deps, request.kustomizeHelm);
    return { type: 'kustomize', objects: collectObjects(values), warnings: ignoredOptionWarnings(options, usedHelm) };
  }

  private async renderHelmNow(request: RenderRequest): Promise<RenderResult> {
    const deps = { helm: () => this.helmCommand(), limits: this.limits, scratchParent: this.options.scratchParent, schedule: this.schedule };
    return { type: 'helm', objects: collectObjects(await renderHelm(request, deps)), warnings: [] };
  }

  private helmCommand(): Promise<HelmCommand> {
    return this.options.helm?.() ?? findHelm();
  }

  private kustomizeCommand(): KustomizeCommand {
    this.command ??= findKustomize();
    return this.command;
  }

  /** Runs `job` when fewer than `concurrency` jobs are running. */
  private readonly schedule = async <T>(job: () => Promise<T>): Promise<T> => {
    const limit = Math.max(1, this.options.concurrency ?? 2);
    if (this.running >= limit) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.running++;
    try {
      return await job();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  };

  /** The kustomize version, part of every cache key. */
  private toolVersion(): Promise<string> {
    this.version ??= kustomizeVersion(this.kustomizeCommand());
    return this.version;
  }
}

async function kustomizeVersion(command: KustomizeCommand): Promise<string> {
  const run = promisify(execFile);
  const args = command.label === 'kustomize' ? ['version'] : ['version', '--client', '-o', 'json'];
  const { stdout } = await run(command.executable, args, { env: {}, timeout: 10_000 });
  const kubectl = /"kustomizeVersion":\s*"([^"]+)"/.exec(stdout);
  return `${command.label} ${kubectl ? kubectl[1] : stdout.trim()}`;
}

function chartFile(path: string): string {
  return path === '.' ? 'Chart.yaml' : `${path}/Chart.yaml`;
}

function hasKustomizeOptions(options: KustomizeSourceOptions | undefined): boolean {
  if (!options) return false;
  return Object.values(options).some((v) => (Array.isArray(v) ? v.length > 0 : typeof v === 'object' && v !== null ? Object.keys(v).length > 0 : v !== undefined && v !== '' && v !== false));
}

function ignoredOptionWarnings(options: KustomizeSourceOptions, usedHelm: boolean): string[] {
  const warnings: string[] = [];
  if (options.version) warnings.push(`kustomize version "${options.version}" is ignored: gitwave renders with its installed kustomize`);
  if (!usedHelm && (options.kubeVersion || options.apiVersions?.length)) warnings.push('kustomize.kubeVersion and apiVersions only affect helmCharts, which this kustomization has none of: ignored');
  return warnings;
}
