// Transitions and Lambda GB-s of one push on the local runtime (deployed waits, rollouts and Jobs 1 s), counted
// from each execution's history (docs/engine.md, "What a sync costs"):
//   node_modules/.bin/node --import tsx scripts/sync-cost.ts              the sample, orders-dev and orders-staging
//   node_modules/.bin/node --import tsx scripts/sync-cost.ts --waves 10   one Application with 10 sync waves, alone on the cluster
import { fileURLToPath } from 'node:url';
import { startE2E, APPS, type E2E } from '../test/e2e/helpers/runtime.ts';
import { jobDuration } from '../test/e2e/helpers/sample.ts';
import { FUNCTION_SETTINGS } from '../shared/lambda/functions.ts';
import { allStates } from '../infra/local-definition.ts';
import { cachedStateMachineDefinitions } from '../local/definition-cache.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const flag = process.argv.indexOf('--waves');
const WAVES = flag > 0 ? Number(process.argv[flag + 1]) : 0;
const WAVE_APP = `waves-${WAVES}`;
const RESOURCES = 'resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }';

/** One ConfigMap and one Deployment (rollout 1 s) per wave: each wave is applied, then checked healthy. */
function waveFiles(): Record<string, string> {
  const docs = Array.from({ length: WAVES }, (_, w) => [
    `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: step-${w}, annotations: { argocd.argoproj.io/sync-wave: "${w}" } }\ndata: { wave: "${w}" }`,
    ['apiVersion: apps/v1', 'kind: Deployment', `metadata: { name: step-${w}, annotations: { argocd.argoproj.io/sync-wave: "${w}" } }`,
      `spec: { replicas: 1, selector: { matchLabels: { app: step-${w} } }, template: { metadata: { labels: { app: step-${w} } }, spec: { containers: [{ name: web, image: "nginx:1.27", readinessProbe: { httpGet: { path: /, port: 80 } }, ${RESOURCES} }] } } }`].join('\n'),
  ].join('\n---\n'));
  return { [`waves/${WAVE_APP}/kustomization.yaml`]: 'resources: [all.yaml]\n', [`waves/${WAVE_APP}/all.yaml`]: `${docs.join('\n---\n')}\n` };
}

async function registerWaveApp(e2e: E2E): Promise<string[]> {
  for (const app of APPS) await e2e.api(`/api/applications/${app}`, { method: 'DELETE', body: {} });
  const yaml = ['apiVersion: argoproj.io/v1alpha1', 'kind: Application', `metadata: { name: ${WAVE_APP}, namespace: argocd }`, 'spec:', '  project: default',
    `  source: { repoURL: "${e2e.rt.info.sampleRepoUrl}", targetRevision: main, path: waves/${WAVE_APP} }`,
    `  destination: { name: local, namespace: ${WAVE_APP} }`, '  syncPolicy: { automated: {}, syncOptions: [CreateNamespace=true] }', ''].join('\n');
  const res = await fetch(`${e2e.rt.info.api}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: yaml });
  if (res.status !== 201) throw new Error(`register ${WAVE_APP}: ${res.status} ${await res.text()}`);
  return [WAVE_APP];
}

/** Task state → the function it invokes (`child` for the writer's startExecution.sync). */
async function functionsOfStates(): Promise<Record<string, string>> {
  const defs = await cachedStateMachineDefinitions(ROOT);
  const fnOf: Record<string, string> = {};
  for (const d of [defs.sync, defs.writer]) for (const [name, st] of allStates(d)) if (st.Type === 'Task') fnOf[name] = String(st.Resource).split('gitwave-')[1] ?? 'child';
  return fnOf;
}

const e2e = await startE2E({ rolloutDelaySeconds: 1, waitScale: undefined });
try {
  const apps = WAVES > 0 ? await registerWaveApp(e2e) : [...APPS];
  const sha = e2e.commit(WAVES > 0 ? waveFiles() : jobDuration(1), WAVES > 0 ? `${WAVES} waves` : 'jobs 1 s');
  await e2e.push();
  for (const app of apps) {
    const status = await e2e.finished(app, sha);
    if (status.operationState?.phase !== 'Succeeded') throw new Error(`${app}: ${status.operationState?.phase} ${status.operationState?.message}`);
  }
  await e2e.rt.settle();
  const fnOf = await functionsOfStates();
  for (const x of e2e.rt.stepFunctions.executions()) {
    const entered = x.events.filter((ev) => ev.type.endsWith('StateEntered')).length;
    let gbs = 0;
    const open: Record<string, number> = {};
    for (const ev of x.events) {
      if (ev.type === 'TaskStateEntered') open[ev.state!] = ev.timestamp;
      if (ev.type === 'TaskStateExited' && open[ev.state!] !== undefined) {
        const mem = (FUNCTION_SETTINGS as Record<string, { memoryMiB: number } | undefined>)[fnOf[ev.state!]]?.memoryMiB;
        if (mem) gbs += ((ev.timestamp - open[ev.state!]) / 1000) * (mem / 1024);
      }
    }
    console.log(JSON.stringify({ name: x.name, status: x.status, transitions: entered, seconds: ((x.stopDate ?? 0) - x.startDate) / 1000, lambdaGbSeconds: Number(gbs.toFixed(3)) }));
  }
} finally {
  await e2e.stop();
}
