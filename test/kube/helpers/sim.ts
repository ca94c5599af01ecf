/**
 * Test helper: the real simulator (local/kube-sim) on an ephemeral port, with a kubeconfig in a
 * temporary folder, and a client whose retries sleep for at most a few ms while recording the wait
 * they were asked for, so tests can check backoff and Retry-After without being slow.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../../local/kube-sim/index.ts';
import { connectKubeconfig } from '../../../shared/kube/connect.ts';
import { type KubeClusterClient, type KubeconfigConnectOptions } from '../../../shared/kube/index.ts';
import type { RetryEnv } from '../../../shared/kube/retry.ts';
import { K8S_SCHEMAS } from '../../helpers/shared-data.ts';

export const SCHEMAS_DIR = K8S_SCHEMAS;

export interface SimFixture {
  sim: RunningSimulator;
  kubeconfigPath: string;
  /** Waits the retry loop asked for, in order (reset with `waits.length = 0`). */
  waits: number[];
  client(options?: KubeconfigConnectOptions): KubeClusterClient;
  stop(): Promise<void>;
}

export function recordingRetryEnv(waits: number[]): RetryEnv {
  return {
    now: () => Date.now(),
    random: () => Math.random(),
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, Math.min(ms, 5)));
    },
  };
}

export async function startSimFixture(options: { crdDelaySeconds?: number } = {}): Promise<SimFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-kube-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  const sim = await startSimulator({
    port: 0,
    kubeconfigPath,
    schemasDir: process.env.GITWAVE_SCHEMAS ?? SCHEMAS_DIR,
    rolloutDelaySeconds: 0.1,
    crdDelaySeconds: options.crdDelaySeconds ?? 0.3,
    log: () => {},
  });
  const waits: number[] = [];
  const clients: KubeClusterClient[] = [];
  return {
    sim,
    kubeconfigPath,
    waits,
    client(extra = {}) {
      const c = connectKubeconfig({
        path: kubeconfigPath,
        retryEnv: recordingRetryEnv(waits),
        retryPolicy: { maxAttempts: 4, deadlineMs: 30_000, baseDelayMs: 20, maxDelayMs: 200 },
        kindPollMs: 50,
        ...extra,
      });
      clients.push(c);
      return c;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.close()));
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Audit entries for one object's writes, e.g. `writesTo(sim, 'configmaps', 'cm')`. */
export function auditFor(sim: RunningSimulator, resource: string, name: string) {
  return sim.audit().filter((a) => a.resource === resource && a.name === name);
}
