/**
 * GET /api/applications?page=… : the dashboard's list, paged, filtered and counted on the server, so
 * a browser never receives thousands of rows (Argo CD's list sends every Application and takes tens
 * of seconds with 8k of them: argo-cd#9575, #14947). Without `page` the route keeps answering the
 * plain array `gitwave app list -o json` prints.
 *
 * Filters: `sync`, `health`, `cluster`, `project`, `label` (`key=value`), `names` (favourites): each a
 * comma-separated list of accepted values (any of them); different filters must all hold. `q` matches
 * a substring of name, project, cluster, namespace, path or a label. Counts per facet are taken over
 * the Applications every *other* filter (and `q`) lets through, so each count says how many rows
 * choosing that value would show.
 */
import { HttpError } from '../lambda/errors.ts';
import { normalizeRepoURL } from '../model/repo-url.ts';
import type { StatusSummary, StoredApplication } from '../store/ports.ts';
import type { ApiDeps } from './deps.ts';
import { snapshot } from './list-snapshot.ts';
import { clusterNameOf, sourceView, summaryOf, type AppSummary } from './views.ts';

export const FACETS = ['sync', 'health', 'cluster', 'project', 'labels'] as const;
export type Facet = (typeof FACETS)[number];

export interface ApplicationRow extends AppSummary {
  labels: Record<string, string>;
  source: { repoURL: string; path: string; targetRevision: string };
  /** The commit on GitHub, only for GitHub-hosted repositories (elsewhere the URL scheme is unknown). */
  commitUrl: string | null;
}

export interface ApplicationPage {
  items: ApplicationRow[];
  total: number;
  page: number;
  pageSize: number;
  counts: Record<Facet, Record<string, number>>;
}

export interface ListQuery {
  page: number;
  pageSize: number;
  q: string;
  names: string[];
  filters: Record<Facet, string[]>;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

/** Whether the query asks for the paged shape. */
export const wantsPage = (query: Record<string, string>): boolean => query.page !== undefined;

/**
 * The list query from the query string, or a 400 naming the bad parameter.
 * @example parseListQuery({ page: '2', sync: 'OutOfSync', label: 'team=orders' }).filters.labels // ['team=orders']
 */
export function parseListQuery(query: Record<string, string>): ListQuery {
  const page = positiveInt(query.page ?? '1', 'page');
  const pageSize = positiveInt(query.pageSize ?? String(DEFAULT_PAGE_SIZE), 'pageSize');
  if (pageSize > MAX_PAGE_SIZE) throw new HttpError(400, `query parameter pageSize: at most ${MAX_PAGE_SIZE}`);
  const list = (value: string | undefined) => (value ?? '').split(',').map((v) => v.trim()).filter((v) => v !== '');
  const labels = list(query.label);
  const bad = labels.find((l) => !l.includes('='));
  if (bad) throw new HttpError(400, `query parameter label: ${JSON.stringify(bad)} is not key=value`);
  return {
    page, pageSize, q: (query.q ?? '').trim().toLowerCase(), names: list(query.names),
    filters: { sync: list(query.sync), health: list(query.health), cluster: list(query.cluster), project: list(query.project), labels },
  };
}

function positiveInt(text: string, name: string): number {
  if (!/^\d{1,6}$/.test(text) || Number(text) < 1) throw new HttpError(400, `query parameter ${name}: expected a positive integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** One Application's facet values (labels as `key=value`). */
function facetValues(row: ApplicationRow): Record<Facet, string[]> {
  return {
    sync: [row.sync.status], health: [row.health.status], cluster: [row.cluster], project: [row.project],
    labels: Object.entries(row.labels).map(([k, v]) => `${k}=${v}`),
  };
}

function matchesSearch(row: ApplicationRow, q: string): boolean {
  if (q === '') return true;
  const haystack = [row.name, row.project, row.cluster, row.namespace, row.source.path, ...facetValues(row).labels];
  return haystack.some((text) => text.toLowerCase().includes(q));
}

/**
 * Filters, counts and cuts one page out of every row (pure: the route reads the rows).
 * @example pageOf(rows, parseListQuery({ page: '1', health: 'Degraded' })).counts.health // { Healthy: 40, Degraded: 2 }
 */
export function pageOf(rows: readonly ApplicationRow[], query: ListQuery): ApplicationPage {
  const candidates = rows.filter((row) => matchesSearch(row, query.q) && (query.names.length === 0 || query.names.includes(row.name)));
  const values = candidates.map(facetValues);
  const passes = (i: number, facet: Facet) => query.filters[facet].length === 0 || values[i][facet].some((v) => query.filters[facet].includes(v));
  const counts = Object.fromEntries(FACETS.map((f) => [f, {} as Record<string, number>])) as ApplicationPage['counts'];
  const items: ApplicationRow[] = [];
  candidates.forEach((row, i) => {
    const failing = FACETS.filter((f) => !passes(i, f));
    if (failing.length === 0) items.push(row);
    for (const facet of FACETS) {
      // A row counts toward a facet's values when every other facet lets it through.
      if (failing.length > 1 || (failing.length === 1 && failing[0] !== facet)) continue;
      for (const value of values[i][facet]) counts[facet][value] = (counts[facet][value] ?? 0) + 1;
    }
  });
  const start = (query.page - 1) * query.pageSize;
  return { items: items.slice(start, start + query.pageSize), total: items.length, page: query.page, pageSize: query.pageSize, counts };
}

/** `https://github.com/org/repo/commit/<sha>` for a GitHub repository and a full SHA; null otherwise. */
export function commitUrlOf(repoURL: string, revision: string | null): string | null {
  if (!revision || !/^[0-9a-f]{40}$/.test(revision)) return null;
  const normal = normalizeRepoURL(repoURL);
  if (!/^github\.com\/[^/]+\/[^/]+$/.test(normal)) return null;
  return `https://${normal}/commit/${revision}`;
}

function rowOf(stored: StoredApplication, status: StatusSummary | undefined, clusters: Parameters<typeof clusterNameOf>[1]): ApplicationRow {
  const summary = summaryOf(stored.app, status, clusters);
  const source = sourceView(stored.app.spec.source);
  return { ...summary, labels: stored.app.metadata.labels ?? {}, source, commitUrl: commitUrlOf(stored.app.spec.source.repoURL, summary.sync.revision) };
}

/** Every row, and the last attempts read so far for rows whose status carries no operation. */
interface ListRows {
  rows: ApplicationRow[];
  lastOperations: Map<string, Promise<AppSummary['operation']>>;
}

/** Two bulk reads: the registry (without the YAML as written) and the statuses' list fields. */
async function readRows(deps: ApiDeps): Promise<ListRows> {
  const [apps, clusters] = await Promise.all([deps.store.listApplications({ withoutSourceYaml: true }), deps.store.listClusters()]);
  const statuses = await deps.store.getStatusSummaries(apps.map((stored) => stored.app.metadata.name));
  const rows = apps.map((stored) => rowOf(stored, statuses.get(stored.app.metadata.name), clusters)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { rows, lastOperations: new Map() };
}

/** The newest attempt of `app` as a row shows it (null: none). */
async function lastOperationOf(deps: ApiDeps, app: string): Promise<AppSummary['operation']> {
  const last = (await deps.store.listOperations(app))[0];
  return last ? { phase: last.phase, message: last.message ?? '', startedAt: last.startedAt, finishedAt: last.finishedAt ?? null } : null;
}

/**
 * GET /api/applications?page=…: one page of every row (kept briefly, list-snapshot.ts). Only the
 * page's rows whose status carries no operation read their last attempt, once per snapshot.
 */
export async function listApplicationPage(deps: ApiDeps, query: ListQuery): Promise<ApplicationPage> {
  const { rows, lastOperations } = await snapshot(deps.store, (deps.now ?? Date.now)(), () => readRows(deps));
  const page = pageOf(rows, query);
  page.items = await Promise.all(page.items.map(async (row) => {
    if (row.operation) return row;
    let last = lastOperations.get(row.name);
    if (!last) {
      last = lastOperationOf(deps, row.name);
      lastOperations.set(row.name, last);
      last.catch(() => lastOperations.delete(row.name));
    }
    const operation = await last;
    return operation ? { ...row, operation } : row;
  }));
  return page;
}
