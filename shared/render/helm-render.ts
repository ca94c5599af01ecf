/**
 * A Helm source, rendered by the real `helm template` in a scratch folder that holds only checked
 * bytes: the chart (copied file by file out of the repository through the ConfinedTree, or fetched
 * from a chart repository and unpacked under the safe-tree rules), and the value files the
 * Application names. helm runs with an argv array, no shell, an empty environment whose HELM_* homes
 * are empty scratch folders (no plugins, no repositories, no registry credentials, no kubeconfig),
 * never `--dependency-update` and never a post-renderer, so a dependency that is not vendored in
 * `charts/` is an error and nothing is fetched while templating. `lookup` returns nothing, as in
 * Argo CD, because `helm template` has no cluster. Time and output are capped.
 */
import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { ConfinedTree } from './confine.ts';
import { renderError, sanitizeMessage } from './errors.ts';
import type { HelmCommand } from './helm-binary.ts';
import { fetchChart } from './helm-chart-repo.ts';
import { helmValueArgs } from './helm-options.ts';
import { isolatedEnv, runTool } from './kustomize-run.ts';
import type { SourcedValue } from './objects.ts';
import { withScratch, writeTree } from './scratch.ts';
import type { HelmSourceOptions, RenderLimits, RenderRequest } from './types.ts';
import { parseManifestStream } from './yaml.ts';

export interface HelmDeps {
  helm: () => Promise<HelmCommand>;
  limits: RenderLimits;
  scratchParent?: string;
  schedule: <T>(job: () => Promise<T>) => Promise<T>;
}

/** Release names as Helm accepts them (lowercase DNS-1123, at most 53 characters). */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The documents of a Helm render: a chart repository source when `request.source.chart` is set,
 * else the chart in folder `request.path` of `request.root`. Throws RenderError.
 */
export async function renderHelm(request: RenderRequest, deps: HelmDeps): Promise<SourcedValue[]> {
  const helm = request.source?.helm ?? {};
  const chart = request.source?.chart;
  const label = chart ? `${chart.chart}-${chart.version}.tgz` : request.path;
  const releaseName = helm.releaseName || request.appName || 'release';
  if (!RELEASE_NAME.test(releaseName) || releaseName.length > 53) {
    throw renderError('spec.source.helm.releaseName', `"${releaseName}" is not a valid Helm release name (lowercase letters, digits and "-", at most 53 characters)`);
  }
  const output = await withScratch(deps.scratchParent, async (dir) => {
    const chartDir = join(dir, 'chart');
    await mkdir(chartDir, { mode: 0o700 });
    let tree: ConfinedTree;
    let chartPath: string;
    if (chart) {
      await fetchChart(chart, chartDir, deps.limits);
      tree = await ConfinedTree.open(chartDir, deps.limits);
      chartPath = '.';
    } else {
      tree = await ConfinedTree.open(request.root, deps.limits);
      chartPath = tree.resolveEntry('.', request.path || '.', { file: 'spec.source.path' });
      await copyChart(tree, chartPath, chartDir);
    }
    const values = await helmValueArgs(tree, chartPath, helm);
    await writeTree(dir, values.files);
    const command = await deps.helm();
    const args = ['template', releaseName, 'chart', ...capabilityArgs(helm, request), ...values.args, ...switchArgs(helm)];
    const home = join(dir, 'home');
    await mkdir(join(home, 'plugins'), { recursive: true, mode: 0o700 });
    return deps.schedule(() => runTool({
      executable: command.executable,
      args,
      cwd: dir,
      env: helmEnv(home),
      tool: 'helm template',
      label,
      timeoutMs: deps.limits.timeoutMs,
      maxOutputBytes: deps.limits.maxOutputBytes,
      reason: (stderr) => `helm template failed: ${sanitizeMessage(stderr.replace(/^Error:\s*/m, ''), [dir]) || 'no reason given'}`,
    }));
  });
  return documentsOf(output, chart ? `${chart.chart}/` : `${request.path === '.' ? '' : `${request.path}/`}`, deps.limits.maxAliasCount);
}

function capabilityArgs(helm: HelmSourceOptions, request: RenderRequest): string[] {
  const namespace = helm.namespace || request.namespace;
  const kubeVersion = helm.kubeVersion || request.cluster?.kubeVersion;
  const apiVersions = helm.apiVersions?.length ? helm.apiVersions : request.cluster?.apiVersions ?? [];
  return [
    ...(namespace ? ['--namespace', namespace] : []),
    ...(kubeVersion ? ['--kube-version', kubeVersion] : []),
    ...apiVersions.flatMap((v) => ['--api-versions', v]),
  ];
}

function switchArgs(helm: HelmSourceOptions): string[] {
  return [
    ...(helm.skipCrds ? [] : ['--include-crds']),
    ...(helm.skipTests ? ['--skip-tests'] : []),
    ...(helm.skipSchemaValidation ? ['--skip-schema-validation'] : []),
  ];
}

/** helm with nothing of this process: every HELM_* home an empty scratch folder, no kubeconfig. */
function helmEnv(home: string): NodeJS.ProcessEnv {
  return {
    ...isolatedEnv(home),
    HELM_CACHE_HOME: join(home, 'cache'),
    HELM_CONFIG_HOME: join(home, 'config'),
    HELM_DATA_HOME: join(home, 'data'),
    HELM_PLUGINS: join(home, 'plugins'),
    HELM_REPOSITORY_CONFIG: join(home, 'config', 'repositories.yaml'),
    HELM_REPOSITORY_CACHE: join(home, 'cache', 'repository'),
    HELM_REGISTRY_CONFIG: join(home, 'config', 'registry.json'),
    KUBECONFIG: join(home, 'no-kubeconfig'),
  };
}

/** Copies folder `chartPath` of the tree (every file through the caps and confinement) to `target`. */
async function copyChart(tree: ConfinedTree, chartPath: string, target: string): Promise<void> {
  const at = { file: 'spec.source.path' };
  if ((await tree.kindOf(chartPath, at)) !== 'dir') throw renderError('spec.source.path', `"${chartPath}" is not a folder of the repository`);
  await writeTree(target, await readChartFiles(tree, chartPath));
}

/**
 * The files of chart folder `chartPath` of the tree, by path inside the chart, each read through the
 * caps and confinement (a symlink leaving the tree is refused). Throws RenderError without a Chart.yaml.
 */
export async function readChartFiles(tree: ConfinedTree, chartPath: string): Promise<Map<string, Buffer>> {
  if ((await tree.kindOf(posix.join(chartPath, 'Chart.yaml'), { file: chartPath })) !== 'file') throw renderError(chartPath, 'no Chart.yaml: not a Helm chart');
  const files = new Map<string, Buffer>();
  const walk = async (rel: string, depth: number): Promise<void> => {
    if (depth > tree.limits.maxDepth) throw renderError(rel, `folders nest deeper than ${tree.limits.maxDepth} levels`);
    for (const entry of await tree.list(rel, { file: rel })) {
      const child = posix.join(rel, entry.name);
      const kind = entry.kind === 'symlink' ? await tree.kindOf(child, { file: child }) : entry.kind;
      if (kind === 'dir') await walk(child, depth + 1);
      else if (kind === 'file') files.set(posix.relative(chartPath, child), await tree.readFile(child, { file: child }));
      else if (entry.kind !== 'symlink') throw renderError(child, 'not a regular file or folder: refused');
    }
  };
  await walk(chartPath, 0);
  return files;
}

/**
 * helm's output, one manifest per `---` with a `# Source: <chart>/<template>` comment, as documents
 * whose source file is the template's path (`prefix` + the path inside the chart).
 */
function documentsOf(output: string, prefix: string, maxAliasCount: number): SourcedValue[] {
  const values: SourcedValue[] = [];
  const perFile = new Map<string, number>();
  for (const chunk of output.split(/^---[ \t]*$/m)) {
    const source = /^# Source: ([^\n]+)$/m.exec(chunk)?.[1]?.trim();
    const inChart = source ? source.split('/').slice(1).join('/') : '';
    const file = `${prefix}${inChart}` || 'helm-output';
    const stream = parseManifestStream(chunk, file, maxAliasCount);
    if (stream.problems.length > 0) throw renderError(file, `helm output cannot be read: ${stream.problems[0].message}`);
    for (const doc of stream.documents) {
      const document = perFile.get(file) ?? 0;
      perFile.set(file, document + 1);
      values.push({ value: doc.value, source: { file, document, line: 1 } });
    }
  }
  return values;
}
