import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commitUrlOf, pageOf, parseListQuery, type ApplicationRow } from '../../shared/api/application-pages.ts';
import { HttpError } from '../../shared/lambda/errors.ts';

const SHA = 'a'.repeat(40);

function row(name: string, sync: 'Synced' | 'OutOfSync', health: string, cluster: string, labels: Record<string, string> = {}): ApplicationRow {
  return {
    name, project: 'default', cluster, namespace: name, sync: { status: sync, revision: SHA }, health: { status: health }, operation: null,
    labels, source: { repoURL: 'https://github.com/acme/x.git', path: `apps/${name}`, targetRevision: 'main' }, commitUrl: null,
  };
}

const ROWS = [
  row('a', 'Synced', 'Healthy', 'dev', { team: 'orders' }),
  row('b', 'OutOfSync', 'Degraded', 'dev', { team: 'pay' }),
  row('c', 'OutOfSync', 'Healthy', 'prod', { team: 'orders' }),
  row('d', 'Synced', 'Healthy', 'prod'),
];

test('filters combine across facets, and each facet counts what choosing its values would show', () => {
  const page = pageOf(ROWS, parseListQuery({ page: '1', sync: 'OutOfSync', cluster: 'dev' }));
  assert.deepEqual(page.items.map((r) => r.name), ['b']);
  assert.equal(page.total, 1);
  // sync counts ignore the sync filter but honour cluster=dev: a (Synced) and b (OutOfSync)
  assert.deepEqual(page.counts.sync, { Synced: 1, OutOfSync: 1 });
  // cluster counts ignore the cluster filter but honour sync=OutOfSync: b (dev) and c (prod)
  assert.deepEqual(page.counts.cluster, { dev: 1, prod: 1 });
  assert.deepEqual(page.counts.health, { Degraded: 1 });
});

test('labels, search, favourites and pages', () => {
  assert.deepEqual(pageOf(ROWS, parseListQuery({ page: '1', label: 'team=orders' })).items.map((r) => r.name), ['a', 'c']);
  assert.deepEqual(pageOf(ROWS, parseListQuery({ page: '1', q: 'APPS/C' })).items.map((r) => r.name), ['c']);
  assert.deepEqual(pageOf(ROWS, parseListQuery({ page: '1', names: 'd,b' })).items.map((r) => r.name), ['b', 'd']);
  const second = pageOf(ROWS, parseListQuery({ page: '2', pageSize: '3' }));
  assert.deepEqual(second.items.map((r) => r.name), ['d']);
  assert.equal(second.total, 4);
  assert.deepEqual(second.counts.labels, { 'team=orders': 2, 'team=pay': 1 });
});

test('bad query parameters are refused, naming the parameter', () => {
  assert.throws(() => parseListQuery({ page: '0' }), (e: HttpError) => e.statusCode === 400 && /page/.test(e.message));
  assert.throws(() => parseListQuery({ page: '1', pageSize: '9999' }), /pageSize: at most 500/);
  assert.throws(() => parseListQuery({ page: '1', label: 'team' }), /label: "team" is not key=value/);
});

test('a commit link only for GitHub-hosted repositories and full SHAs', () => {
  assert.equal(commitUrlOf('git@github.com:Acme/Web.git', SHA), `https://github.com/acme/web/commit/${SHA}`);
  assert.equal(commitUrlOf('https://gitlab.com/acme/web.git', SHA), null);
  assert.equal(commitUrlOf('https://github.com/acme/web.git', 'main'), null);
  assert.equal(commitUrlOf('https://github.com/acme/web.git', null), null);
});
