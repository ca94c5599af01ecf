/**
 * kustomize `helmCharts` (docs/helm.md, "Helm charts inside a kustomization"): refused unless the
 * Application's AppProject allows it by name (shared/model/kustomize-helm.ts); then held to the rules of
 * a Helm source. Every entry is checked before kustomize runs: a chart name that is a plain name, an
 * exact `version` for a chart repository, the repository URL through the same rules as
 * `spec.source.repoURL` (https, http only on loopback, no OCI, no credentials) and the project's
 * `sourceRepos`. A chart vendored in the repository under the chart home is copied like any checked
 * file; one from a chart repository is fetched by gitwave's own fetcher (index digest, size caps,
 * safe extraction) into the scratch copy exactly where kustomize looks for it, so kustomize finds it
 * and never runs `helm pull`: it only runs `helm template`, the same binary, offline (no PATH, a
 * proxy that refuses all) and under the render's time and output caps.
 */
import { mkdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { chartRepoProblem } from '../model/chart-repo.ts';
import type { KustomizeHelmPolicy } from '../model/kustomize-helm.ts';
import { KUSTOMIZE_HELM_ANNOTATION } from '../model/kustomize-helm.ts';
import { isRecord } from '../model/object.ts';
import { checkSourceRepo } from '../model/project-policy.ts';
import { RenderError, renderError } from './errors.ts';
import { fetchChart } from './helm-chart-repo.ts';
import type { ChartRepositorySource, RenderLimits } from './types.ts';

/** One `helmCharts` entry, checked. */
export interface HelmChartEntry {
  /** `helmCharts[i]`, for messages. */
  field: string;
  line: number;
  name: string;
  repo?: string;
  version?: string;
  valuesFile?: string;
  additionalValuesFiles: string[];
}

/** The Helm part of one kustomization. */
export interface KustomizationCharts {
  /** `helmGlobals.chartHome`, default `charts` (relative to the kustomization's folder). */
  chartHome: string;
  charts: HelmChartEntry[];
}

/** A chart gitwave fetches into the scratch copy before kustomize runs. */
export interface ChartFetch {
  source: ChartRepositorySource;
  /** Root-relative folder kustomize reads the chart from. */
  into: string;
  /** The kustomization and entry that asked for it. */
  file: string;
  field: string;
  line: number;
}

const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
/** kustomize fields that would reach outside the checked files or the network. */
const REFUSED_CHART_FIELDS: Readonly<Record<string, string>> = {
  digest: 'OCI digests are refused: OCI registries are not supported yet',
};

/**
 * The checked `helmCharts` and `helmGlobals` of a kustomization (undefined when it has neither).
 * Throws RenderError naming the file, line and field.
 */
export function readHelmCharts(
  k: Record<string, unknown>,
  file: string,
  lineOf: (path: Array<string | number>) => number,
  policy: KustomizeHelmPolicy | undefined,
): KustomizationCharts | undefined {
  if (!('helmCharts' in k) && !('helmGlobals' in k)) return undefined;
  const field = 'helmCharts' in k ? 'helmCharts' : 'helmGlobals';
  if (!policy?.allowed) {
    const who = policy ? `project "${policy.project}" does not allow it` : 'no AppProject allows it here';
    throw renderError(file, `${field} is refused: ${who} (an admin sets the annotation ${KUSTOMIZE_HELM_ANNOTATION}: "true" on the AppProject)`, lineOf([field]));
  }
  const globals = isRecord(k.helmGlobals) ? k.helmGlobals : {};
  if (globals.configHome !== undefined) throw renderError(file, 'helmGlobals.configHome is refused: helm runs with empty homes (no repositories, no credentials, no plugins)', lineOf(['helmGlobals', 'configHome']));
  const chartHome = globals.chartHome === undefined ? 'charts' : String(globals.chartHome);
  if (posix.isAbsolute(chartHome)) throw renderError(file, 'helmGlobals.chartHome must be a folder of the repository (a relative path)', lineOf(['helmGlobals', 'chartHome']));
  const list = k.helmCharts ?? [];
  if (!Array.isArray(list)) throw renderError(file, 'helmCharts must be a list', lineOf(['helmCharts']));
  return { chartHome, charts: list.map((entry, i) => chartEntry(entry, i, file, lineOf, policy)) };
}

function chartEntry(entry: unknown, i: number, file: string, lineOf: (p: Array<string | number>) => number, policy: KustomizeHelmPolicy): HelmChartEntry {
  const field = `helmCharts[${i}]`;
  const line = lineOf(['helmCharts', i]);
  const fail = (message: string, key?: string): never => {
    throw renderError(file, `${field}${key ? `.${key}` : ''}: ${message}`, key ? lineOf(['helmCharts', i, key]) : line);
  };
  if (!isRecord(entry)) return fail('must be a mapping');
  for (const [key, reason] of Object.entries(REFUSED_CHART_FIELDS)) if (entry[key] !== undefined) fail(reason, key);
  const name = typeof entry.name === 'string' ? entry.name : '';
  if (!PLAIN_NAME.test(name)) fail(`"${name}" is not a chart name (letters, digits, ".", "_", "+" and "-")`, 'name');
  const repo = typeof entry.repo === 'string' && entry.repo !== '' ? entry.repo : undefined;
  const version = entry.version === undefined || entry.version === '' ? undefined : String(entry.version);
  if (version !== undefined && !PLAIN_NAME.test(version)) fail(`"${version}" is not an exact chart version`, 'version');
  if (repo !== undefined) {
    const problem = chartRepoProblem(repo) ?? checkSourceRepo({ metadata: { name: policy.project }, spec: { sourceRepos: policy.sourceRepos } }, repo);
    if (problem) fail(problem, 'repo');
    if (version === undefined) fail('the exact chart version is needed for a chart repository (gitwave fetches one version, as for a Helm source)', 'version');
  }
  const valuesFile = typeof entry.valuesFile === 'string' && entry.valuesFile !== '' ? entry.valuesFile : undefined;
  const additional = Array.isArray(entry.additionalValuesFiles) ? entry.additionalValuesFiles.filter((f): f is string => typeof f === 'string') : [];
  return { field, line, name, ...(repo ? { repo } : {}), ...(version ? { version } : {}), ...(valuesFile ? { valuesFile } : {}), additionalValuesFiles: additional };
}

/**
 * The folder kustomize reads a chart from, relative to the kustomization's folder: with both a
 * repository and a version `<chartHome>/<name>-<version>/<name>`, else `<chartHome>/<name>`.
 */
export function chartFolder(chartHome: string, entry: HelmChartEntry): string {
  return entry.repo && entry.version ? posix.join(chartHome, `${entry.name}-${entry.version}`, entry.name) : posix.join(chartHome, entry.name);
}

/** Fetches each chart into the scratch copy `dir`; a refusal names the kustomization and the entry. */
export async function fetchCharts(dir: string, fetches: readonly ChartFetch[], limits: RenderLimits): Promise<void> {
  for (const fetch of fetches) {
    const target = join(dir, fetch.into);
    await mkdir(target, { recursive: true, mode: 0o700 });
    try {
      await fetchChart(fetch.source, target, limits);
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      const reasons = error.problems.map((p) => p.message).join('; ');
      throw renderError(fetch.file, `${fetch.field}: chart ${fetch.source.chart} ${fetch.source.version} from ${fetch.source.repoURL}: ${reasons}`, fetch.line);
    }
  }
}
