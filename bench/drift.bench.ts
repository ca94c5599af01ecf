/**
 * `npm run bench drift`: one drift sweep over N Applications on one cluster (the local runtime's
 * simulator): its wall time, and the Kubernetes API calls it made, counted from the simulator's
 * audit log. The Applications (manual sync, so the sweep only compares) share one overlay, each in
 * its own namespace; one push has every one of them rendered and compared first, and the runtime
 * is settled (queue empty, no execution) before the sweep starts.
 *
 * Settings: BENCH_APPS (400; 50 with --quick).
 */
import { startE2E } from '../test/e2e/helpers/runtime.ts';
import { QUICK, report, round } from './report.ts';

const APPS = Number(process.env.BENCH_APPS ?? (QUICK ? 50 : 400));
const names = Array.from({ length: APPS }, (_, i) => `drift-${String(i).padStart(3, '0')}`);
const OVERLAY = 'bench/drift/app';

function applicationYaml(name: string, repoUrl: string): string {
  return [
    'apiVersion: argoproj.io/v1alpha1', 'kind: Application', `metadata: { name: ${name}, namespace: argocd }`, 'spec:', '  project: default',
    `  source: { repoURL: "${repoUrl}", targetRevision: main, path: ${OVERLAY} }`,
    `  destination: { name: local, namespace: ${name} }`, '',
  ].join('\n');
}

const e2e = await startE2E({ waitScale: 0.1 });
try {
  const sha = e2e.commit({
    [`${OVERLAY}/kustomization.yaml`]: 'resources: [config.yaml]\n',
    [`${OVERLAY}/config.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  MODE: bench\n',
  }, 'bench: drift overlay');
  for (const name of names) {
    const res = await fetch(`${e2e.rt.info.api}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: applicationYaml(name, e2e.rt.info.sampleRepoUrl) });
    if (res.status !== 201) throw new Error(`register ${name}: ${res.status} ${await res.text()}`);
  }
  await e2e.push({ after: sha });
  await e2e.rt.settle();
  const compared = (await Promise.all(names.map((n) => e2e.store.getStatus(n)))).filter((s) => s?.sync?.revision === sha).length;
  console.log(`${compared} of ${APPS} Applications compared at ${sha.slice(0, 7)} before the sweep`);

  const before = e2e.rt.simulator!.audit().length;
  const started = performance.now();
  await e2e.rt.sweep();
  const seconds = (performance.now() - started) / 1000;
  const calls = e2e.rt.simulator!.audit().slice(before);
  const verbs = new Map<string, number>();
  for (const c of calls) verbs.set(c.verb, (verbs.get(c.verb) ?? 0) + 1);
  const byVerb = [...verbs].map(([verb, n]) => `${verb} ${n}`).join(', ');
  console.log(`drift sweep over ${APPS} Applications on one cluster: ${seconds.toFixed(2)} s, ${calls.length} API calls (${byVerb})`);
  report({ 'drift.compared_before': compared, 'drift.apps': APPS, 'drift.api_calls': calls.length, 'drift.seconds': round(seconds) });
} finally {
  await e2e.stop();
}
