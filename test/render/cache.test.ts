/**
 * The render cache: keys that change with every input that changes the render, the memory and
 * folder stores, and a renderer that never renders the same repository + commit + path + options
 * twice (the counting wrapper still runs the real kustomize).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DirectoryRenderCache, MemoryRenderCache, Renderer, renderCacheKey } from '../../shared/render/index.ts';
import { configMap, countingKustomize, makeTree, removeTree } from './helpers.ts';

const base = { repo: 'github.com/org/manifests', commit: 'a'.repeat(40), path: 'api/web', tool: 'kustomize v5.5.0' };

describe('renderCacheKey', () => {
  it('is 64 hex characters, stable, and blind to key order and a ./ prefix', () => {
    const key = renderCacheKey({ ...base, source: { kustomize: { namePrefix: 'a', nameSuffix: 'b' } } });
    assert.match(key, /^[0-9a-f]{64}$/);
    assert.equal(renderCacheKey({ ...base, path: './api/web', source: { kustomize: { nameSuffix: 'b', namePrefix: 'a' } } }), key);
  });

  const changes: Array<[string, Partial<typeof base> & { source?: object; env?: Record<string, string> }]> = [
    ['commit', { commit: 'b'.repeat(40) }],
    ['repository', { repo: 'github.com/org/other' }],
    ['path', { path: 'api/db' }],
    ['options', { source: { kustomize: { namePrefix: 'x-' } } }],
    ['build environment', { env: { ARGOCD_APP_NAME: 'web' } }],
    ['kustomize version', { tool: 'kustomize v5.6.0' }],
  ];
  for (const [label, change] of changes) {
    it(`changes with the ${label}`, () => {
      assert.notEqual(renderCacheKey({ ...base, ...change }), renderCacheKey(base));
    });
  }
});

describe('cache stores', () => {
  it('memory: returns what was put and drops the least recently used beyond its size', async () => {
    const cache = new MemoryRenderCache(2);
    await cache.put('a', '1');
    await cache.put('b', '2');
    await cache.get('a');
    await cache.put('c', '3');
    assert.deepEqual([await cache.get('a'), await cache.get('b'), await cache.get('c')], ['1', undefined, '3']);
  });

  it('folder: survives a new instance, and refuses keys that are not hashes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitwave-cache-'));
    const key = renderCacheKey(base);
    await new DirectoryRenderCache(dir).put(key, '{"x":1}');
    assert.equal(await new DirectoryRenderCache(dir).get(key), '{"x":1}');
    assert.equal(await new DirectoryRenderCache(dir).get(renderCacheKey({ ...base, path: 'z' })), undefined);
    await assert.rejects(new DirectoryRenderCache(dir).put('../escape', 'x'), /64 hex characters/);
    assert.deepEqual(readdirSync(dir), [`${key}.json`]);
    removeTree(dir);
  });
});

describe('Renderer with a cache', () => {
  let root: string;
  let work: string;
  before(() => {
    root = makeTree({ 'app/kustomization.yaml': 'resources: [cm.yaml]\n', 'app/cm.yaml': configMap('cm') });
    work = mkdtempSync(join(tmpdir(), 'gitwave-cache-run-'));
  });
  after(() => {
    removeTree(root);
    removeTree(work);
  });

  it('renders a repository + commit + path + options once, then answers from the cache', async () => {
    const probe = countingKustomize(work);
    const renderer = new Renderer({ cache: new MemoryRenderCache(), kustomize: probe.command });
    const request = { root, path: 'app', origin: { repo: base.repo, commit: base.commit } };
    const first = await renderer.render(request);
    const second = await renderer.render(request);
    assert.deepEqual(second, first);
    assert.equal(probe.runs(), 1);
    await renderer.render({ ...request, source: { kustomize: { namePrefix: 'p-' } } });
    assert.equal(probe.runs(), 2);
  });

  it('shares one render between identical requests made at the same time', async () => {
    const probe = countingKustomize(work);
    const renderer = new Renderer({ cache: new MemoryRenderCache(), kustomize: probe.command });
    const request = { root, path: 'app', origin: { repo: base.repo, commit: 'c'.repeat(40) } };
    const results = await Promise.all([renderer.render(request), renderer.render(request), renderer.render(request)]);
    assert.equal(probe.runs(), 1);
    assert.deepEqual(results[1], results[0]);
    results[1].objects[0].object.metadata.name = 'changed';
    assert.equal(results[2].objects[0].object.metadata.name, 'cm');
  });

  it('a folder cache serves a second renderer (another Lambda) without rendering', async () => {
    const dir = join(work, 'shared-cache');
    const request = { root, path: 'app', origin: { repo: base.repo, commit: 'd'.repeat(40) } };
    const probe = countingKustomize(work);
    await new Renderer({ cache: new DirectoryRenderCache(dir), kustomize: probe.command }).render(request);
    const again = await new Renderer({ cache: new DirectoryRenderCache(dir), kustomize: probe.command }).render(request);
    assert.equal(probe.runs(), 1);
    assert.equal(again.objects[0].object.metadata.name, 'cm');
  });

  it('does not cache a render without a repository and commit (a working tree)', async () => {
    const probe = countingKustomize(work);
    const renderer = new Renderer({ cache: new MemoryRenderCache(), kustomize: probe.command });
    await renderer.render({ root, path: 'app' });
    await renderer.render({ root, path: 'app' });
    assert.equal(probe.runs(), 2);
  });
});
