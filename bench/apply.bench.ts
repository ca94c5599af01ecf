/**
 * `npm run bench apply`: server-side apply throughput of our cluster client against
 * `kubectl apply --server-side`, on the same simulator (run in its own process, so neither side
 * shares an event loop with it). N applications × M objects (a mix of ConfigMaps, Secrets,
 * ServiceAccounts, Services and Deployments), each application in its own namespace, applied one
 * application after another. Our client applies an application's objects with bounded
 * concurrency (and once more one at a time, like kubectl); kubectl gets one `apply -f <dir>` per
 * application. Settings: `BENCH_APPS` (20), `BENCH_OBJECTS` (25), `BENCH_CONCURRENCY` (8) in the
 * environment, or `node --import tsx bench/apply.bench.ts <apps> <objects>`. Prints figures; asserts
 * nothing. (Most of kubectl's time is its own start-up and OpenAPI parsing per invocation; the
 * simulator answers each apply in a few ms either way.)
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QUICK, report, round } from './report.ts';
import type { KubeObject } from '../shared/model/object.ts';
import { connectKubeconfig } from '../shared/kube/connect.ts';
import { type KubeClusterClient } from '../shared/kube/index.ts';

const [argApps, argObjects] = process.argv.slice(2).map(Number);
const APPS = argApps || Number(process.env.BENCH_APPS) || (QUICK ? 5 : 20);
const OBJECTS = argObjects || Number(process.env.BENCH_OBJECTS) || 25;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY) || 8;
const SCHEMAS = process.env.GITWAVE_SCHEMAS ?? join(import.meta.dirname, '..', '..', 'shared', 'k8s-openapi', 'v1.32');

function objectOf(namespace: string, i: number): KubeObject {
  const metadata = { name: `obj-${i}`, namespace, labels: { app: namespace } };
  switch (i % 5) {
    case 0: return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { index: String(i), payload: 'x'.repeat(200) } };
    case 1: return { apiVersion: 'v1', kind: 'Secret', metadata, stringData: { token: `t-${i}` } };
    case 2: return { apiVersion: 'v1', kind: 'ServiceAccount', metadata };
    case 3: return { apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: { app: namespace }, ports: [{ port: 80, targetPort: 8080 }] } };
    default: return {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata,
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: namespace, obj: String(i) } },
        template: { metadata: { labels: { app: namespace, obj: String(i) } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] } },
      },
    };
  }
}

const appObjects = (namespace: string) => Array.from({ length: OBJECTS }, (_, i) => objectOf(namespace, i));

/** Starts `gitwave sim` in a child process and resolves once it listens and wrote the kubeconfig. */
async function startSimProcess(kubeconfig: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['cli/bin.js', 'sim', '--port', '0', '--kubeconfig', kubeconfig, '--schemas', SCHEMAS, '--rollout-delay', '60'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('kubeconfig written')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return child;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

async function oursSeconds(kube: KubeClusterClient, prefix: string, concurrency: number): Promise<number> {
  const started = performance.now();
  for (let a = 0; a < APPS; a++) await inBatches(appObjects(`${prefix}-${a}`), concurrency, (o) => kube.apply(o));
  return (performance.now() - started) / 1000;
}

async function kubectlSeconds(kubeconfig: string, dir: string, prefix: string, apps = APPS): Promise<number> {
  const run = promisify(execFile);
  const files = Array.from({ length: apps }, (_, a) => {
    const appDir = join(dir, `${prefix}-${a}`);
    const namespace = prefix === 'default' ? 'default' : `${prefix}-${a}`;
    mkdirSync(appDir, { recursive: true });
    appObjects(namespace).forEach((o, i) => writeFileSync(join(appDir, `${i}.json`), JSON.stringify(o)));
    return appDir;
  });
  const started = performance.now();
  for (const appDir of files) {
    await run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'apply', '--server-side', '-f', appDir], { maxBuffer: 1 << 24 });
  }
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-bench-apply-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await startSimProcess(kubeconfig);
  const kube = connectKubeconfig({ path: kubeconfig });
  try {
    const prefixes = ['ours', 'seq', 'kubectl'];
    for (const p of prefixes) for (let a = 0; a < APPS; a++) await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${p}-${a}` } });
    // Untimed warm-up of one application each way: the simulator's caches and JIT, our discovery
    // cache and connection, kubectl's discovery cache.
    await inBatches(appObjects('default'), CONCURRENCY, (o) => kube.apply({ ...o, metadata: { ...o.metadata, name: `warm-${o.metadata.name}` } }));
    await kubectlSeconds(kubeconfig, dir, 'default', 1);
    const ours = await oursSeconds(kube, 'ours', CONCURRENCY);
    const sequential = await oursSeconds(kube, 'seq', 1);
    const kubectl = await kubectlSeconds(kubeconfig, dir, 'kubectl');
    const total = APPS * OBJECTS;
    const row = (name: string, s: number) => console.log(`${name.padEnd(42)} ${s.toFixed(2).padStart(7)} s  ${(total / s).toFixed(0).padStart(6)} objects/s`);
    console.log(`${APPS} applications × ${OBJECTS} objects = ${total} server-side applies, simulator in its own process`);
    row(`gitwave client (concurrency ${CONCURRENCY} per app)`, ours);
    row('gitwave client (one at a time)', sequential);
    row('kubectl apply --server-side (one per app)', kubectl);
    // kubectl's time over gitwave's for the same applies (higher is better for gitwave).
    report({ 'apply.objects': total, 'apply.ratio_vs_kubectl': round(kubectl / ours), 'apply.gitwave_seconds': round(ours), 'apply.kubectl_seconds': round(kubectl) });
    console.log(`ratio kubectl / gitwave: ${(kubectl / ours).toFixed(1)}× (concurrent), ${(kubectl / sequential).toFixed(1)}× (one at a time)`);
  } finally {
    await kube.close();
    sim.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
