/**
 * The Applications list: one page of rows from the server with facet counts (the server filters,
 * counts and pages, so thousands of Applications cost the browser one page), filters and the search
 * in the URL, favourites in localStorage, arrows and Enter to move and open.
 */
import { useCallback, useEffect, useRef } from 'preact/hooks';
import { get } from '../api.ts';
import { Age, ErrorNote, HealthBadge, PhaseBadge, Sha, SyncBadge } from '../components.tsx';
import { useListKeys, usePoll, useStored } from '../hooks.ts';
import { appHref, navigate } from '../route.ts';
import type { AppPage, AppRow, Facet } from '../types.ts';

const PAGE_SIZE = 50;
/** Query parameter of each facet (labels are `label=key=value`). */
const PARAM: Record<Facet, string> = { sync: 'sync', health: 'health', cluster: 'cluster', project: 'project', labels: 'label' };
const FACET_TITLES: Record<Facet, string> = { sync: 'Sync', health: 'Health', cluster: 'Cluster', project: 'Project', labels: 'Labels' };

function hrefWith(query: URLSearchParams, changes: Record<string, string | null>): string {
  const next = new URLSearchParams(query);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') next.delete(k);
    else next.set(k, v);
  }
  if (!('page' in changes)) next.delete('page');
  const text = next.toString();
  return text ? `/apps?${text}` : '/apps';
}

function toggled(list: string | null, value: string): string {
  const values = (list ?? '').split(',').filter(Boolean);
  return (values.includes(value) ? values.filter((v) => v !== value) : [...values, value]).join(',');
}

export function ListPage({ query }: { query: URLSearchParams }) {
  const [favourites, setFavourites] = useStored<string[]>('gitwave.favourites', []);
  const favOnly = query.get('fav') === '1';
  const api = new URLSearchParams({ page: query.get('page') ?? '1', pageSize: String(PAGE_SIZE) });
  for (const p of [...Object.values(PARAM), 'q']) if (query.get(p)) api.set(p, query.get(p)!);
  if (favOnly) api.set('names', favourites.join(',') || '-');
  const apiQuery = api.toString();
  const { data, error } = usePoll(() => get<AppPage>(`applications?${apiQuery}`), [apiQuery], () => 5000);
  const painted = useRef(false);
  useEffect(() => {
    if (data && !painted.current) {
      painted.current = true;
      requestAnimationFrame(() => performance.mark('gitwave:list-painted'));
    }
  }, [data]);
  const rows = data?.items ?? [];
  const open = useCallback((i: number) => rows[i] && navigate(appHref(rows[i].name)), [rows]);
  const selected = useListKeys(rows.length, open);
  const toggleFavourite = (name: string) => setFavourites(favourites.includes(name) ? favourites.filter((n) => n !== name) : [...favourites, name]);
  const page = Number(query.get('page') ?? '1');
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE_SIZE)) : 1;

  return (
    <div class="list-page">
      <aside class="filters" aria-label="filters">
        <a class={`facet-value ${favOnly ? 'on' : ''}`} href={hrefWith(query, { fav: favOnly ? null : '1' })}>★ Favourites <span class="count">{favourites.length}</span></a>
        {(Object.keys(PARAM) as Facet[]).map((facet) => (
          <fieldset key={facet} class="facet" data-facet={facet}>
            <legend>{FACET_TITLES[facet]}</legend>
            {Object.entries(data?.counts[facet] ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([value, count]) => {
              const on = (query.get(PARAM[facet]) ?? '').split(',').includes(value);
              return (
                <a key={value} class={`facet-value ${on ? 'on' : ''}`} href={hrefWith(query, { [PARAM[facet]]: toggled(query.get(PARAM[facet]), value) })} aria-pressed={on}>
                  {value} <span class="count">{count}</span>
                </a>
              );
            })}
          </fieldset>
        ))}
      </aside>
      <section class="rows">
        <div class="toolbar">
          <input type="search" placeholder="Search applications (press /)" aria-label="search" value={query.get('q') ?? ''}
            onInput={(e) => navigate(hrefWith(query, { q: (e.target as HTMLInputElement).value }), true)} />
          <span class="total">{data ? `${data.total} application${data.total === 1 ? '' : 's'}` : 'loading…'}</span>
        </div>
        <ErrorNote error={error} />
        <table class="apps">
          <thead><tr><th aria-label="favourite" /><th>Name</th><th>Sync</th><th>Health</th><th>Cluster</th><th>Namespace</th><th>Project</th><th>Revision</th><th>Last operation</th></tr></thead>
          <tbody>
            {rows.map((row, i) => <Row key={row.name} row={row} selected={i === selected} favourite={favourites.includes(row.name)} onFavourite={toggleFavourite} />)}
          </tbody>
        </table>
        {data && data.total === 0 ? <p class="muted">No application matches these filters.</p> : null}
        <nav class="pager" aria-label="pages">
          {page > 1 ? <a href={hrefWith(query, { page: String(page - 1) })}>← previous</a> : <span />}
          <span>page {page} of {pages}</span>
          {page < pages ? <a href={hrefWith(query, { page: String(page + 1) })}>next →</a> : <span />}
        </nav>
      </section>
    </div>
  );
}

function Row({ row, selected, favourite, onFavourite }: { row: AppRow; selected: boolean; favourite: boolean; onFavourite: (name: string) => void }) {
  return (
    <tr class={`app-row ${selected ? 'selected' : ''}`} data-app={row.name} aria-selected={selected}>
      <td><button type="button" class={`star ${favourite ? 'on' : ''}`} aria-label={`${favourite ? 'remove' : 'add'} ${row.name} ${favourite ? 'from' : 'to'} favourites`} onClick={() => onFavourite(row.name)}>{favourite ? '★' : '☆'}</button></td>
      <td><a href={appHref(row.name)}>{row.name}</a></td>
      <td><SyncBadge status={row.sync.status} /></td>
      <td><HealthBadge status={row.health.status} /></td>
      <td><a href={`/clusters/${encodeURIComponent(row.cluster)}`}>{row.cluster}</a></td>
      <td>{row.namespace}</td>
      <td>{row.project}</td>
      <td><Sha revision={row.sync.revision} href={row.commitUrl} /></td>
      <td>{row.operation ? <><PhaseBadge phase={row.operation.phase} /> <Age at={row.operation.finishedAt ?? row.operation.startedAt} /></> : <span class="muted">none</span>}</td>
    </tr>
  );
}

