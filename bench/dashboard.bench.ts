/**
 * `npm run bench dashboard`: the dashboard's list with 5,000 Applications. Starts the local runtime,
 * registers 5,000 Applications (with statuses) in its store, then opens the list in headless
 * Chromium (Debian's, or GITWAVE_CHROMIUM) and reports the time from navigation start to the first
 * paint of the rows (the page marks `gitwave:list-painted` one frame after rendering them): first with
 * the api's list snapshot empty, then warm; plus the API's answer for one page, the two bulk reads
 * the snapshot is made of, and the bundle's size. Goal: first paint ≤ 1 s. `--quick`: 500 apps.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startLocalRuntime } from '../local/runtime.ts';
import { parseApplication } from '../shared/model/application.ts';
import { createStore } from '../shared/store/index.ts';
import { ENV, requiredEnv } from '../shared/config/env.ts';
import { mapLimit } from '../shared/engine/live.ts';
import { DIST } from '../web/build.ts';
import { launchChromium, missingChromium } from '../test/web/browser.ts';
import { QUICK, report, round } from './report.ts';

// --quick: 500, so that the whole quick suite stays within minutes on 2 cores.
const COUNT = Number(process.env.BENCH_APPS ?? (QUICK ? 500 : 5000));
const CLUSTERS = ['dev', 'staging', 'prod-eu', 'prod-us'];
const SYNC = ['Synced', 'Synced', 'Synced', 'OutOfSync'] as const;
const HEALTH = ['Healthy', 'Healthy', 'Healthy', 'Progressing', 'Degraded'] as const;

function applicationYaml(i: number): string {
  const name = `svc-${String(i).padStart(4, '0')}-${CLUSTERS[i % CLUSTERS.length]}`;
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
  labels: { team: team-${i % 12} }
spec:
  project: default
  source: { repoURL: https://github.com/acme/manifests.git, targetRevision: main, path: apps/svc-${i}/overlays/${CLUSTERS[i % CLUSTERS.length]} }
  destination: { name: ${CLUSTERS[i % CLUSTERS.length]}, namespace: svc-${i} }
`;
}

const skip = missingChromium();
if (skip) {
  console.log(`skipped: ${skip}`);
  process.exit(0);
}
const home = mkdtempSync(join(tmpdir(), 'gitwave-bench-dashboard-'));
const rt = await startLocalRuntime({ home, port: 0, driftIntervalMs: 0, sweepAtStart: false, log: () => undefined });
try {
  const store = createStore({ tableName: requiredEnv(ENV.TABLE_NAME), endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB });
  const seeding = performance.now();
  await mapLimit([...Array(COUNT).keys()], 32, async (i) => {
    const app = parseApplication(applicationYaml(i), `bench-${i}.yaml`);
    await store.putApplication(app);
    await store.writeObservedStatus(app.metadata.name, {
      sync: { status: SYNC[i % SYNC.length], revision: (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0').repeat(5) },
      health: { status: HEALTH[i % HEALTH.length] },
    }, undefined);
  });
  console.log(`registered ${COUNT} Applications in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);

  const api = async () => {
    const t = performance.now();
    const res = await fetch(`${rt.info.api}/api/applications?page=1&pageSize=50`);
    const body = await res.json() as { total?: number; message?: string };
    if (!res.ok || (body.total ?? 0) < COUNT) throw new Error(`the API answered ${res.status}: ${body.message ?? `${body.total} Applications, expected ${COUNT}+`}`);
    return performance.now() - t;
  };

  const browser = await launchChromium();
  const paints: number[] = [];
  try {
    // The first run finds the api's list snapshot empty (shared/api/list-snapshot.ts): it pays the
    // two bulk reads. The others are answered from the snapshot, as the list's polls and clicks are.
    for (const run of ['cold api, cold browser', 'warm api, cold browser', 'warm api, cold browser']) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(rt.info.dashboard);
      await page.waitForFunction(() => performance.getEntriesByName('gitwave:list-painted').length > 0, undefined, { timeout: 60_000 });
      const painted = await page.evaluate('performance.getEntriesByName("gitwave:list-painted")[0].startTime') as number;
      const rows = await page.locator('tr.app-row').count();
      paints.push(painted);
      console.log(`first paint of the list (${run}, ${rows} rows of ${COUNT}): ${painted.toFixed(0)} ms (goal ≤ 1000 ms)`);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const afterBrowser = await api();
  // Right after a read the snapshot is fresh: this one is answered from memory.
  const warmApi = await api();
  console.log(`API, one page of 50 with counts: ${afterBrowser.toFixed(0)} ms after the browser runs, ${warmApi.toFixed(0)} ms from the fresh snapshot`);
  const t = performance.now();
  const apps = await store.listApplications({ withoutSourceYaml: true });
  const listed = performance.now();
  await store.getStatusSummaries(apps.map((a) => a.app.metadata.name));
  const reads = { registry: listed - t, statuses: performance.now() - listed };
  console.log(`the snapshot's two bulk reads: registry ${reads.registry.toFixed(0)} ms, statuses ${reads.statuses.toFixed(0)} ms`);
  const js = readFileSync(join(DIST, 'app.js'));
  const css = readFileSync(join(DIST, 'app.css'));
  console.log(`bundle: app.js ${js.length} B (${gzipSync(js).length} B gzip), app.css ${css.length} B (${gzipSync(css).length} B gzip)`);
  report({
    'dashboard.apps': COUNT, 'dashboard.first_paint_cold_api_ms': round(paints[0], 0), 'dashboard.first_paint_warm_api_ms': round(Math.min(...paints.slice(1)), 0),
    'dashboard.api_page_warm_ms': round(warmApi, 0), 'dashboard.registry_read_ms': round(reads.registry, 0), 'dashboard.status_read_ms': round(reads.statuses, 0),
    'dashboard.bundle_js_bytes': js.length, 'dashboard.bundle_js_gzip_bytes': gzipSync(js).length, 'dashboard.bundle_css_bytes': css.length,
  });
} finally {
  await rt.stop();
  rmSync(home, { recursive: true, force: true });
}
