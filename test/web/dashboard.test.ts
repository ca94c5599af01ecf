// The dashboard in real Chromium against a local runtime started here: the list loads and filters
// (the URL keeps the filters), an Application opens, a sync started from its page reaches Synced
// while the page updates by itself, the diff of a drifted object shows, the execution graph draws
// the definition with the states the sync went through, a sync of one chosen resource from the
// panel (one-off images offered on env=dev clusters only), and the keyboard and theme work. Every page
// seen is saved under test-artifacts/screenshots/.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startE2E, waitFor, type E2E } from '../e2e/helpers/runtime.ts';
import { launchChromium, missingChromium, screenshot } from './browser.ts';
import { parseApplication } from '../../shared/model/application.ts';
import { parseClusterObject } from '../../shared/model/cluster.ts';

const skip = missingChromium();

describe('dashboard in Chromium', { skip }, () => {
  let e2e: E2E;
  let browser: Browser;
  let page: Page;
  let base: string;
  const shots: string[] = [];

  before(async () => {
    e2e = await startE2E();
    base = e2e.rt.info.dashboard.replace(/\/$/, '');
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await e2e?.stop();
    if (shots.length) console.log(`screenshots:\n${shots.join('\n')}`);
  });

  it('loads the list with both sample Applications and their counts', async () => {
    await page.goto(`${base}/`);
    await page.locator('tr.app-row').nth(1).waitFor();
    assert.deepEqual(await page.locator('tr.app-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-app'))), ['orders-dev', 'orders-staging']);
    assert.match(await page.locator('.total').innerText(), /^2 applications$/);
    assert.match(await page.locator('fieldset[data-facet=cluster]').innerText(), /local\s*2/);
    shots.push(await screenshot(page, 'list'));
  });

  it('filters by search and facet, and keeps the filters in the URL (a deep link reopens them)', async () => {
    await page.keyboard.press('/');
    assert.equal(await page.evaluate('document.activeElement && document.activeElement.getAttribute("type")'), 'search');
    await page.keyboard.type('staging');
    await waitFor('one row for "staging"', async () => (await page.locator('tr.app-row').count()) === 1);
    assert.equal(await page.locator('tr.app-row').getAttribute('data-app'), 'orders-staging');
    assert.match(page.url(), /[?&]q=staging/);
    await page.goto(`${base}/apps?sync=Unknown&q=orders-d`);
    await waitFor('the deep link to leave orders-dev', async () => (await page.locator('tr.app-row').count()) === 1 && (await page.locator('tr.app-row').getAttribute('data-app')) === 'orders-dev');
    assert.equal(await page.locator('fieldset[data-facet=sync] .facet-value.on').count(), 1);
    assert.equal(await page.locator('input[type=search]').inputValue(), 'orders-d');
    shots.push(await screenshot(page, 'list-filtered'));
  });

  it('opens an Application with arrows and Enter, starts a sync, and watches it reach Synced', async () => {
    await page.goto(`${base}/`);
    await page.locator('tr.app-row').nth(1).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${base}/apps/orders-dev`);
    await page.locator('h1', { hasText: 'orders-dev' }).waitFor();
    shots.push(await screenshot(page, 'app-before-sync'));
    await page.locator('form.sync-panel button[type=submit]').click();
    await page.locator('.sync-panel ~ .ok', { hasText: 'sync queued' }).waitFor();
    // No reload from here: the page polls and must show the running operation, then Synced.
    await page.locator('.app-head .s-synced').waitFor({ timeout: 120_000 });
    await page.locator('.app-head .h-healthy').waitFor({ timeout: 120_000 });
    await page.locator('.words .p-succeeded').waitFor({ timeout: 60_000 });
    const waves = await page.locator('.phase[data-phase=Sync] .wave').evaluateAll((ws) => ws.map((w) => w.getAttribute('data-wave')));
    assert.deepEqual(waves, ['0', '1', '2']);
    assert.ok(await page.locator('.resources .hook').count() > 0, 'hooks are marked');
    assert.match(await page.locator('.phase[data-phase=Sync] .wave[data-wave="1"]').innerText(), /Deployment\s*\/\s*orders-grpc/);
    shots.push(await screenshot(page, 'app-synced'));
  });

  it('shows the diff of a drifted ConfigMap, live against desired', async () => {
    await e2e.kubectl('-n', 'orders-dev', 'patch', 'configmap', 'orders-config', '--type', 'merge', '-p', '{"data":{"LOG_LEVEL":"debug"}}');
    await page.locator('nav.tabs a', { hasText: 'Diff' }).click();
    await page.waitForURL(`${base}/apps/orders-dev/diff`);
    const diff = page.locator('.resource-diff', { hasText: 'orders-config' });
    await diff.waitFor();
    const row = diff.locator('tr.change', { hasText: 'LOG_LEVEL' });
    assert.match(await row.locator('.live').innerText(), /debug/);
    assert.match(await row.locator('.desired').innerText(), /info/);
    shots.push(await screenshot(page, 'app-diff'));
  });

  it('draws the execution graph of the sync from the definition it ran', async () => {
    await page.goto(`${base}/apps/orders-dev`);
    await page.locator('a', { hasText: 'execution graph' }).click();
    await page.waitForURL(/\/executions\/orders-dev-/);
    await page.locator('svg.graph g.node').first().waitFor();
    const execution = await e2e.api(new URL(page.url()).pathname.replace('/executions/', '/api/executions/'));
    assert.equal(execution.status, 200);
    const states = Object.keys(execution.body.definition.States);
    for (const state of states) assert.equal(await page.locator(`svg.graph g.node[data-state="${state}"]`).count(), 1, `state ${state} drawn`);
    assert.equal(execution.body.status, 'SUCCEEDED');
    assert.ok(await page.locator('svg.graph g.node.visited').count() >= 3, 'the states the sync passed are marked');
    assert.ok(await page.locator('.events li').count() > 5, 'event history beside the graph');
    shots.push(await screenshot(page, 'execution'));
  });

  it('syncs only a chosen resource from the panel, and offers one-off images on env=dev clusters only', async () => {
    await e2e.kubectl('-n', 'orders-dev', 'patch', 'configmap', 'orders-config', '--type', 'merge', '-p', '{"data":{"LOG_LEVEL":"trace"}}');
    await page.goto(`${base}/apps/orders-dev`);
    await page.locator('form.sync-panel input[name=images]').waitFor(); // the local cluster is labelled env=dev
    await page.locator('.sync-panel .selection summary').click();
    const resources = (await e2e.app('orders-dev')).resources as Array<{ hook: boolean }>;
    assert.ok(resources.some((r) => r.hook), 'the sample has hooks');
    assert.equal(await page.locator('.resource-choice').count(), resources.filter((r) => !r.hook).length, 'hooks cannot be chosen');
    assert.equal(await page.locator('.resource-choice[data-resource^="Job/"]').count(), 0);
    await page.locator('.resource-choice[data-resource="ConfigMap/orders-config"] input').check();
    await page.locator('form.sync-panel button[type=submit]', { hasText: 'Sync chosen resources' }).click();
    await page.locator('.sync-panel ~ .ok', { hasText: '1 chosen resource' }).waitFor();
    shots.push(await screenshot(page, 'app-sync-chosen'));
    const chosen = await waitFor('the selective sync to succeed', async () => {
      const operations = (await e2e.api('/api/applications/orders-dev/operations')).body as Array<{ selective: boolean; phase: string; initiatedBy: { automated?: boolean } }>;
      return operations.find((o) => o.selective && !o.initiatedBy.automated && o.phase === 'Succeeded');
    });
    assert.ok(chosen);
    assert.equal(await e2e.kubectl('-n', 'orders-dev', 'get', 'configmap', 'orders-config', '-o', 'jsonpath={.data.LOG_LEVEL}'), 'info');
    await page.locator('table.attempts td', { hasText: '(chosen resources)' }).waitFor();

    await e2e.store.putCluster(parseClusterObject({ apiVersion: 'gitwave.dev/v1alpha1', kind: 'Cluster', metadata: { name: 'prod', labels: { env: 'prod' } }, spec: { kubeconfig: { context: 'prod' } } }, 'test'));
    await e2e.store.putApplication(parseApplication(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: orders-prod, namespace: argocd }
spec:
  project: default
  source: { repoURL: 'https://github.com/gitwave-demo/platform-manifests.git', targetRevision: main, path: api/orders/service/overlays/staging }
  destination: { name: prod, namespace: orders-prod }
`, 'orders-prod.yaml'));
    await page.goto(`${base}/apps/orders-prod`);
    await page.locator('.overrides-note', { hasText: 'env=dev' }).waitFor();
    assert.equal(await page.locator('form.sync-panel input[name=images]').count(), 0);
    await e2e.store.deleteApplication('orders-prod');
  });

  it('remembers the dark theme across a reload, and shows the cluster timeline', async () => {
    await page.goto(`${base}/clusters/local`);
    await page.locator('.timeline li', { hasText: 'sync by local' }).first().waitFor();
    await page.locator('header button[aria-label*="theme"]').click();
    await page.reload();
    assert.equal(await page.evaluate('document.documentElement.dataset.theme'), 'dark');
    await page.locator('.timeline li').first().waitFor();
    shots.push(await screenshot(page, 'cluster-timeline-dark'));
  });
});
