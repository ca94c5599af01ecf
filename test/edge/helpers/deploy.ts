// What a finished sync leaves behind, made by hand for the drift and API tests: the objects on the
// cluster with their tracking annotation, the render they came from in S3, and the status pointing
// at it (desiredKey) with the revision synced.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startSimulator, type RunningSimulator } from '../../../local/kube-sim/index.ts';
import { configureRuntime } from '../../../shared/lambda/runtime.ts';
import { cachedConnector } from '../../../shared/lambda/ports/clusters.ts';
import { connectKubeconfig } from '../../../shared/kube/connect.ts';
import { type ClusterClient, type KubeClusterClient } from '../../../shared/kube/index.ts';
import type { Application } from '../../../shared/model/application.ts';
import type { KubeObject } from '../../../shared/model/object.ts';
import { parseManifestStream } from '../../../shared/render/index.ts';
import { planSettings, trackDesired } from '../../../shared/engine/operation-options.ts';
import { writeRenderDocument, RENDER_DOCUMENT_FORMAT } from '../../../shared/engine/render-store.ts';
import type { EdgeAws } from './aws.ts';
import { K8S_SCHEMAS } from '../../helpers/shared-data.ts';

export const SCHEMAS = K8S_SCHEMAS;

export interface EdgeSim {
  sim: RunningSimulator;
  kubeconfig: string;
  kube: KubeClusterClient;
  /** Runs kubectl against the simulator (asynchronously: the simulator answers from this process). */
  kubectl(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** The simulator, a client for the test, and the handlers' own connector plugged in (its clients closed at stop). */
export async function startEdgeSim(): Promise<EdgeSim> {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-edge-sim-'));
  const kubeconfig = join(dir, 'kubeconfig');
  const sim = await startSimulator({ port: 0, kubeconfigPath: kubeconfig, schemasDir: SCHEMAS, rolloutDelaySeconds: 0.05, log: () => {} });
  const kube = connectKubeconfig({ path: kubeconfig });
  const clients = new Set<ClusterClient>();
  const connector = cachedConnector();
  configureRuntime({
    connect: async (cluster, options) => {
      const client = await connector(cluster, options);
      clients.add(client);
      return client;
    },
  });
  return {
    sim, kubeconfig, kube,
    kubectl: async (...args) => (await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args])).stdout,
    stop: async () => {
      for (const client of clients) await client.close();
      await kube.close();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function objectsOf(...texts: string[]): KubeObject[] {
  return texts.flatMap((t) => parseManifestStream(t, 'x.yaml', 100).documents.map((d) => d.value as KubeObject));
}

/** Deploys `objects` for `app` as a sync would, and records them as its desired state at `revision`. */
export async function deployDesired(aws: EdgeAws, kube: ClusterClient | undefined, app: Application, objects: KubeObject[], revision: string): Promise<string> {
  const namespace = app.spec.destination.namespace!;
  const settings = planSettings(app, { trigger: 'drift', initiatedBy: { automated: true }, dryRun: false, prune: false, strategy: 'hook' }, revision, 0);
  if (kube) {
    await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    for (const obj of trackDesired(objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } })), settings)) await kube.apply(obj);
  }
  const desiredKey = await writeRenderDocument(aws.blobs, {
    format: RENDER_DOCUMENT_FORMAT, key: createHash('sha256').update(`${app.metadata.name}@${revision}`).digest('hex'), repoURL: app.spec.source.repoURL,
    revision, path: app.spec.source.path, source: {}, type: 'directory',
    objects: objects.map((object, i) => ({ object, source: { file: 'app/all.yaml', document: i, line: 1 } })), warnings: [], renderedAt: new Date().toISOString(),
  });
  const written = await aws.store.writeObservedStatus(app.metadata.name, { desiredKey, sync: { status: 'Synced', revision } }, await aws.store.getStatus(app.metadata.name));
  if (!written) throw new Error(`the status of ${app.metadata.name} changed while it was seeded`);
  return desiredKey;
}
