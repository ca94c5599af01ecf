/**
 * Render 400 kustomize overlays (100 components × 4 environments, generated in a temp folder, shaped
 * like the team's repository) three ways, each with 2 kustomize processes at a time (the cores of
 * this machine and of a small Lambda):
 *   raw   — `kubectl kustomize <overlay>` (or `kustomize build`) on each overlay, output discarded;
 *   cold  — gitwave's Renderer with an empty cache: scan, confine, copy, kustomize, parse, provenance;
 *   warm  — the same requests again (memory cache), and from a folder cache in a new Renderer
 *           (another Lambda reading the shared cache).
 * Prints the times and the ratios to the raw kustomize calls.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { QUICK, report, round } from './report.ts';
import { DirectoryRenderCache, findKustomize, MemoryRenderCache, Renderer, type RenderRequest } from '../shared/render/index.ts';

const COMPONENTS = QUICK ? 25 : 100;
const ENVS = ['dev', 'test', 'staging', 'prod'];
const CONCURRENCY = 2;
const ROUNDS = QUICK ? 1 : 2;
const run = promisify(execFile);

function generate(root: string): string[] {
  const overlays: string[] = [];
  for (let c = 0; c < COMPONENTS; c++) {
    const name = `svc${String(c).padStart(3, '0')}`;
    const base = join(root, 'api', name, 'service', 'base');
    mkdirSync(base, { recursive: true });
    writeFileSync(join(base, 'kustomization.yaml'), 'resources: [deployment.yaml, service.yaml, config.yaml, migrate.yaml]\nlabels:\n  - pairs: { app.kubernetes.io/part-of: shop }\n');
    writeFileSync(join(base, 'deployment.yaml'), deployment(name));
    writeFileSync(join(base, 'service.yaml'), `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n  annotations: { argocd.argoproj.io/sync-wave: "1" }\nspec:\n  selector: { app: ${name} }\n  ports: [{ port: 80, targetPort: 8080 }]\n`);
    writeFileSync(join(base, 'config.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\ndata:\n  LOG_LEVEL: info\n`);
    writeFileSync(join(base, 'migrate.yaml'), `apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ${name}-migrate\n  annotations: { argocd.argoproj.io/hook: PreSync }\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{ name: migrate, image: "registry.example.com/${name}-migrate:1.0.0" }]\n`);
    for (const env of ENVS) {
      const overlay = join(root, 'api', name, 'service', 'overlays', env);
      mkdirSync(overlay, { recursive: true });
      writeFileSync(join(overlay, 'kustomization.yaml'), `resources: [../../base]\nnamePrefix: ${env}-\nimages:\n  - { name: registry.example.com/${name}, newTag: "1.2.${ENVS.indexOf(env)}" }\nreplicas:\n  - { name: ${name}, count: ${ENVS.indexOf(env) + 1} }\npatches:\n  - path: config.yaml\n`);
      writeFileSync(join(overlay, 'config.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}-config\ndata:\n  LOG_LEVEL: ${env === 'prod' ? 'warn' : 'debug'}\n`);
      overlays.push(`api/${name}/service/overlays/${env}`);
    }
  }
  return overlays;
}

function deployment(name: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  annotations: { argocd.argoproj.io/sync-wave: "2" }\nspec:\n  replicas: 2\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/${name}:1.0.0\n          envFrom: [{ configMapRef: { name: ${name}-config } }]\n          readinessProbe: { httpGet: { path: /healthz, port: 8080 } }\n          resources: { requests: { cpu: 100m, memory: 128Mi }, limits: { memory: 256Mi } }\n`;
}

/** Runs `job` on every item, at most `limit` at a time; returns the elapsed milliseconds. */
async function timed<T>(items: readonly T[], limit: number, job: (item: T) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await job(items[next++]);
  }));
  return performance.now() - started;
}

const format = (ms: number): string => `${(ms / 1000).toFixed(2)} s (${(ms / (COMPONENTS * ENVS.length)).toFixed(1)} ms per overlay)`;

const root = mkdtempSync(join(tmpdir(), 'gitwave-bench-render-'));
try {
  const overlays = generate(root);
  const command = findKustomize();
  const requests: RenderRequest[] = overlays.map((path) => ({ root, path, origin: { repo: 'github.com/example/shop', commit: 'f'.repeat(40) } }));
  console.log(`${overlays.length} overlays, ${CONCURRENCY} at a time, ${command.label}, best of ${ROUNDS} interleaved rounds`);

  // Interleaved rounds, best of each: the machine is shared, so one slow stretch must not decide.
  let raw = Infinity;
  let cold = Infinity;
  let memory = new Renderer();
  for (let round = 0; round < ROUNDS; round++) {
    raw = Math.min(raw, await timed(overlays, CONCURRENCY, (path) => run(command.executable, [...command.args, join(root, path)], { maxBuffer: 1 << 26 })));
    memory = new Renderer({ cache: new MemoryRenderCache(), concurrency: CONCURRENCY });
    cold = Math.min(cold, await timed(requests, CONCURRENCY * 2, (r) => memory.render(r)));
  }
  const warm = await timed(requests, CONCURRENCY * 2, (r) => memory.render(r));
  const cacheDir = join(root, '.cache');
  await timed(requests, CONCURRENCY * 2, (r) => new Renderer({ cache: new DirectoryRenderCache(cacheDir), concurrency: CONCURRENCY }).render(r));
  const folder = new Renderer({ cache: new DirectoryRenderCache(cacheDir), concurrency: CONCURRENCY });
  const warmFolder = await timed(requests, CONCURRENCY * 2, (r) => folder.render(r));
  const objects = (await memory.render(requests[0])).objects.length;

  console.log(`raw kustomize          ${format(raw)}`);
  console.log(`gitwave render, cold   ${format(cold)}   ratio to raw ${(cold / raw).toFixed(2)}`);
  console.log(`gitwave render, warm   ${format(warm)}   ratio to raw ${(warm / raw).toFixed(4)}   (memory cache)`);
  console.log(`gitwave render, warm   ${format(warmFolder)}   ratio to raw ${(warmFolder / raw).toFixed(4)}   (folder cache, new Renderer)`);
  console.log(`(${objects} objects per overlay)`);
  // gitwave's cold render time over raw kustomize's, for the same overlays (lower is better).
  report({ 'render.overlays': overlays.length, 'render.ratio_vs_kustomize': round(cold / raw, 3), 'render.kustomize_seconds': round(raw / 1000), 'render.cold_seconds': round(cold / 1000) });
} finally {
  rmSync(root, { recursive: true, force: true });
}
