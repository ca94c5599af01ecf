/**
 * `npm run bench many-apps`: N Applications on one cluster (the local runtime's simulator), each an
 * overlay of one shared base, registered through the API. After they are all deployed, one commit
 * changes the base and one signed push is sent; the figure is the time from that webhook until every
 * Application is Synced at the new commit with a Succeeded operation. The serial estimate is the
 * median sync time of one Application (its operation's start to finish) × N: what one sync at a
 * time would take. Only the runtime's public surface is used (options, webhook, API, store status),
 * so the figure follows whichever engine the runtime runs.
 *
 * Settings: BENCH_APPS (100; 4 with --quick), BENCH_WAIT_SCALE (1; 0.1 with --quick),
 * BENCH_ROLLOUT_DELAY (1 s), BENCH_RENDER_CONCURRENCY (the runtime's default).
 */
import { startE2E, StopWaiting, waitFor, type E2E } from '../test/e2e/helpers/runtime.ts';
import { percentile, QUICK, report, round } from './report.ts';

const APPS = Number(process.env.BENCH_APPS ?? (QUICK ? 4 : 100));
const WAIT_SCALE = Number(process.env.BENCH_WAIT_SCALE ?? (QUICK ? 0.1 : 1));
const ROLLOUT_DELAY = Number(process.env.BENCH_ROLLOUT_DELAY ?? 1);
const names = Array.from({ length: APPS }, (_, i) => `bench-${String(i).padStart(3, '0')}`);

const BASE = 'bench/shared/base';
const baseFiles = (release: string): Record<string, string> => ({
  [`${BASE}/kustomization.yaml`]: 'resources: [config.yaml, deployment.yaml]\n',
  [`${BASE}/config.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  RELEASE: "${release}"\n`,
  [`${BASE}/deployment.yaml`]: [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  annotations: { argocd.argoproj.io/sync-wave: "1" }',
    'spec:', '  replicas: 1', '  selector: { matchLabels: { app: web } }', '  template:',
    `    metadata: { labels: { app: web }, annotations: { bench.gitwave.dev/release: "${release}" } }`,
    // Resources and a readiness probe, as the render step's lint rules require of every container.
    '    spec:', '      containers:', '        - name: web', '          image: "nginx:1.27"',
    '          readinessProbe: { httpGet: { path: /, port: 80 } }',
    '          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 64Mi } }', '',
  ].join('\n'),
});

function applicationYaml(name: string, repoUrl: string): string {
  return [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', `metadata: { name: ${name}, namespace: argocd }`, 'spec:', '  project: default',
    `  source: { repoURL: "${repoUrl}", targetRevision: main, path: bench/shared/overlays/${name} }`,
    `  destination: { name: local, namespace: ${name} }`,
    '  syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: [CreateNamespace=true] }', '',
  ].join('\n');
}

/** Resolves once every app is Synced at `sha` with a Succeeded operation; fails on a failed one. */
async function allSynced(e2e: E2E, sha: string, timeoutMs: number): Promise<void> {
  await waitFor(`${APPS} applications Synced at ${sha.slice(0, 7)}`, async () => {
    const statuses = await Promise.all(names.map((n) => e2e.store.getStatus(n)));
    // A refused render never syncs: say why at once instead of waiting for the timeout.
    const refused = statuses.flatMap((st) => st?.conditions ?? []).find((c) => c.type === 'ComparisonError' || c.type === 'InvalidSpecError');
    if (refused) throw new StopWaiting(`render refused: ${refused.message}`);
    const failed = statuses.find((s) => s?.operationState?.revision === sha && ['Failed', 'Error'].includes(s.operationState.phase));
    if (failed) throw new StopWaiting(`a sync failed: ${failed.operationState?.message}`);
    return statuses.every((s) => s?.sync?.status === 'Synced' && s.sync.revision === sha && s.operationState?.revision === sha && s.operationState.phase === 'Succeeded');
  }, timeoutMs);
}

const RENDER_CONCURRENCY = process.env.BENCH_RENDER_CONCURRENCY ? Number(process.env.BENCH_RENDER_CONCURRENCY) : undefined;
const e2e = await startE2E({ waitScale: WAIT_SCALE, rolloutDelaySeconds: ROLLOUT_DELAY, renderConcurrency: RENDER_CONCURRENCY });
try {
  const overlays = Object.fromEntries(names.map((n) => [`bench/shared/overlays/${n}/kustomization.yaml`, 'resources: [../../base]\n']));
  const first = e2e.commit({ ...baseFiles('0'), ...overlays }, 'bench: shared base and overlays');
  for (const name of names) {
    const res = await fetch(`${e2e.rt.info.api}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: applicationYaml(name, e2e.rt.info.sampleRepoUrl) });
    if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${await res.text()}`);
  }
  await e2e.push({ after: first });
  await allSynced(e2e, first, 60 * 60_000);

  const sha = e2e.commit(baseFiles('1'), 'bench: change the shared base');
  const sent = performance.now();
  const sentAt = Date.now();
  const answer = await e2e.push({ after: sha });
  if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
  await allSynced(e2e, sha, 60 * 60_000);
  const seconds = (performance.now() - sent) / 1000;

  const operations = (await Promise.all(names.map((n) => e2e.store.getStatus(n)))).map((s) => s!.operationState!);
  const durations = operations.map((o) => (Date.parse(o.finishedAt!) - Date.parse(o.startedAt)) / 1000);
  const one = percentile(durations, 50);
  // Where the time goes: an operation starts when its plan is written (after render and plan).
  const since = (iso: string) => (Date.parse(iso) - sentAt) / 1000;
  const planned = operations.map((o) => since(o.startedAt));
  console.log(`operations started (planned) after the push: first ${Math.min(...planned).toFixed(1)} s, median ${percentile(planned, 50).toFixed(1)} s, last ${Math.max(...planned).toFixed(1)} s`);
  console.log(`${APPS} Applications on one cluster, one push to their shared base → all Synced: ${seconds.toFixed(1)} s`);
  console.log(`one Application's sync (median, operation start → finish): ${one.toFixed(1)} s; ×${APPS} = ${(one * APPS).toFixed(0)} s one at a time`);
  console.log(`settings: Wait states ×${WAIT_SCALE}, simulator rollout delay ${ROLLOUT_DELAY} s, renders at once ${RENDER_CONCURRENCY ?? 'default'}`);
  report({
    'many_apps.apps': APPS,
    'many_apps.seconds': round(seconds, 1),
    'many_apps.serial_estimate_seconds': round(one * APPS, 1),
    'many_apps.one_app_seconds': round(one, 1),
    'many_apps.wait_scale': WAIT_SCALE,
  });
} finally {
  await e2e.stop();
}
