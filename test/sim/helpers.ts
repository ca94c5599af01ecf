/** Shared by the simulator tests: start one on an ephemeral port, and speak HTTP (or kubectl) to it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../local/kube-sim/index.ts';
import { join } from 'node:path';
import { K8S_SCHEMAS, SHARED_DIR } from '../helpers/shared-data.ts';

export const SCHEMAS = K8S_SCHEMAS;
/** The Kubernetes v1.32 `generated.proto` files (protobuf request bodies). */
export const PROTO_DIR = join(SHARED_DIR, 'k8s-proto', 'v1.32');

export function startTestSim(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ port: 0, schemasDir: SCHEMAS, protoDir: PROTO_DIR, rolloutDelaySeconds: 0.05, crdDelaySeconds: 0.05, log: () => {}, ...options });
}

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
}

/** One request; `body` objects are sent as JSON (or as given for strings). */
export async function call(sim: RunningSimulator, method: string, path: string, body?: unknown, contentType = 'application/json', headers: Record<string, string> = {}): Promise<Reply> {
  const res = await fetch(sim.url + path, {
    method,
    headers: { ...(body !== undefined ? { 'Content-Type': contentType } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // plain text answers (logs, health) stay strings
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Server-side apply of an object as `manager`. */
export function apply(sim: RunningSimulator, path: string, obj: unknown, manager: string, query = ''): Promise<Reply> {
  return call(sim, 'PATCH', `${path}?fieldManager=${manager}${query ? `&${query}` : ''}`, obj, 'application/apply-patch+yaml');
}

/** Polls until `check` returns a value, or fails after `ms` (a bound for a broken run, generous so a loaded machine is not one). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function deployment(name: string, replicas = 2, image = 'nginx:1.27'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, ports: [{ containerPort: 80 }] }] } },
    },
  };
}

/** A watch stream: collects events as they arrive until closed. */
export interface WatchStream {
  events: Array<{ type: string; object: any }>;
  /** Resolves once `n` events have arrived (or fails after `ms`). */
  waitFor(n: number, ms?: number): Promise<Array<{ type: string; object: any }>>;
  close(): void;
}

export async function watch(sim: RunningSimulator, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  const controller = new AbortController();
  const res = await fetch(sim.url + path, { signal: controller.signal, headers });
  const events: Array<{ type: string; object: any }> = [];
  const decoder = new TextDecoder();
  let buffer = '';
  void (async () => {
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buffer.slice(0, newline)));
          buffer = buffer.slice(newline + 1);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return {
    events,
    waitFor: (n, ms = 5000) => eventually(async () => (events.length >= n ? events.slice(0, n) : undefined), ms),
    close: () => controller.abort(),
  };
}

export interface KubectlRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real kubectl (on PATH) against a simulator started with a kubeconfig in a private folder. */
export interface KubectlSim {
  sim: RunningSimulator;
  kubectl(...args: string[]): Promise<KubectlRun>;
  env: NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts a simulator for kubectl; kubectl runs asynchronously, since the simulator shares this event loop. */
export async function startKubectlSim(options: SimulatorOptions = {}): Promise<KubectlSim> {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-kubectl-'));
  const sim = await startTestSim({ kubeconfigPath: join(dir, 'kubeconfig'), ...options });
  // A private discovery cache: kubectl keys it by host:port, and ports are reused between runs.
  const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'kubeconfig'), KUBECACHEDIR: join(dir, 'cache') };
  const kubectl = (...args: string[]): Promise<KubectlRun> =>
    new Promise((resolve) => {
      execFile('kubectl', args, { env, timeout: 30_000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  return {
    sim, kubectl, env,
    stop: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
