// Real local servers for the engine tests: AWS's DynamoDB Local (test/helpers/dynamo.ts), fauxqs's S3 and the
// Kubernetes simulator, started once per test file; a registered cluster and Application; and a driver
// that calls the task functions in the order the state machine does (lock → PreSync, Sync, PostSync
// loops → record → release; SyncFail loop → record failure on the catch path).
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { startFauxqs } from 'fauxqs';
import { startSimulator, type RunningSimulator } from '../../local/kube-sim/index.ts';
import { connectKubeconfig } from '../../shared/kube/connect.ts';
import { type ClusterClient } from '../../shared/kube/index.ts';
import { parseApplication } from '../../shared/model/application.ts';
import type { Cluster } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { createStore, ensureTable, type Store } from '../../shared/store/index.ts';
import { testDynamo } from '../helpers/dynamo.ts';
import { s3BlobStore, type BlobStore } from '../../shared/engine/blob-store.ts';
import type { ClusterConnector, EngineDeps } from '../../shared/engine/deps.ts';
import type { Executions } from '../../shared/engine/executions.ts';
import { dynamoRequestStore, type RequestStore } from '../../shared/engine/requests.ts';
import { snsNotifier, type Notifier } from '../../shared/engine/notifier.ts';
import { writeRenderDocument, RENDER_DOCUMENT_FORMAT } from '../../shared/engine/render-store.ts';
import type { SyncExecutionInput } from '../../shared/engine/contracts.ts';

export const CLUSTER = 'sim';
const BUCKET = 'gitwave-test';

export interface Servers {
  store: Store;
  requests: RequestStore;
  blobs: BlobStore;
  sim: RunningSimulator;
  kube: ClusterClient;
  cluster: Cluster;
  /** The store's clock (epoch ms); tests move it to let a lease lapse. */
  clock: { offset: number };
  /** Sync notifications on an SNS topic, fanned out to a queue the tests read. */
  notifier: Notifier;
  notifications(): Array<{ app: string; phase: string; revision: string; fromGit: boolean }>;
}

/** Starts every server before the file's tests and stops them after. */
export function useServers(): () => Servers {
  let servers: Servers;
  const stops: Array<() => Promise<void> | void> = [];
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitwave-engine-'));
    stops.push(() => rmSync(dir, { recursive: true, force: true }));
    const dynamo = await testDynamo();
    stops.push(() => dynamo.stop());
    const credentials = dynamo.credentials;
    const client = dynamo.client();
    stops.push(() => client.destroy());
    await ensureTable(client, 'gitwave');
    const clock = { offset: 0 };
    const store = createStore({ tableName: 'gitwave', client, now: () => Date.now() + clock.offset });
    const fauxqs = await startFauxqs({ port: 0, logger: false });
    stops.push(() => fauxqs.stop());
    fauxqs.createBucket(BUCKET);
    const s3 = new S3Client({ endpoint: fauxqs.address, region: 'us-east-1', credentials, forcePathStyle: true });
    const { topicArn } = fauxqs.createTopic('gitwave-sync');
    fauxqs.createQueue('notifications');
    fauxqs.subscribe({ topic: 'gitwave-sync', queue: 'notifications', attributes: { RawMessageDelivery: 'true' } });
    const notifier = snsNotifier(new SNSClient({ endpoint: fauxqs.address, region: 'us-east-1', credentials }), topicArn);
    const notifications = () => (fauxqs.inspectQueue('notifications')?.messages.ready ?? []).map((m) => JSON.parse(m.body));
    const sim = await startSimulator({ port: 0, rolloutDelaySeconds: 0.2, kubeconfigPath: join(dir, 'kubeconfig'), log: () => {} });
    stops.push(() => sim.stop());
    const kube = connectKubeconfig({ path: sim.kubeconfigPath });
    stops.push(() => kube.close());
    const cluster: Cluster = { name: CLUSTER, labels: { env: 'dev' }, connection: { type: 'kubeconfig', context: 'gitwave-sim', path: sim.kubeconfigPath } };
    await store.putCluster(cluster);
    const requests = dynamoRequestStore({ tableName: 'gitwave', client });
    servers = { store, requests, blobs: s3BlobStore(s3, BUCKET), sim, kube, cluster, clock, notifier, notifications };
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return () => servers;
}

type Started = Array<{ name: string; input: SyncExecutionInput }>;
/** The syncs handed to writers since the last recordingExecutions() (tests make one per scenario). */
let recording: Started | undefined;

/**
 * Executions that only remember what was started: the writers, and (through engineDeps' store) the
 * syncs handed to them, which the test then drives itself as the writer would.
 */
export function recordingExecutions(): Executions & { started: Started; writers: string[] } {
  const writers: string[] = [];
  recording = [];
  return {
    started: recording,
    writers,
    async start(name) {
      const executionArn = `arn:aws:states:us-east-1:000000000000:execution:gitwave-writer:${name}`;
      if (writers.includes(name)) return { executionArn, started: false };
      writers.push(name);
      return { executionArn, started: true };
    },
  };
}

/** Engine ports on the servers; `connect` can be wrapped to cut a task short. */
export function engineDeps(s: Servers, extra: Partial<EngineDeps> = {}): EngineDeps {
  const connect: ClusterConnector = async () => s.kube;
  const store: Store = {
    ...s.store,
    // Each sync handed to the cluster's writer, as the writer's claim would answer it (the driver takes the lock).
    async requestSync(cluster, pending) {
      const started = recording;
      if (started && !started.some((x) => x.name === pending.syncId)) {
        started.push({ name: pending.syncId, input: { app: pending.app, cluster, syncId: pending.syncId, planKey: pending.planKey, revision: pending.revision, owner: '', fence: 0 } });
      }
      return s.store.requestSync(cluster, pending);
    },
  };
  return { store, blobs: s.blobs, connect, notifier: s.notifier, leaseMs: 60_000, now: () => Date.now() + s.clock.offset, tickOptions: { waveDelaySeconds: 0, pollSeconds: 0 }, ...extra };
}

/**
 * Registers an Application deploying to the simulator. `retryLimit` sets `syncPolicy.retry.limit`
 * (unset: automated syncs retry 5 times, SPEC-sync §6); `selfHeal` turns selfHeal on.
 */
export async function registerApp(s: Servers, name: string, namespace: string, automated = true, options: { retryLimit?: number; selfHeal?: boolean } = {}): Promise<void> {
  const yaml = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd }
spec:
  project: default
  source: { repoURL: 'https://github.com/acme/manifests.git', targetRevision: main, path: ${name} }
  destination: { name: ${CLUSTER}, namespace: ${namespace} }
  syncPolicy:
${automated ? `    automated: { prune: true${options.selfHeal ? ', selfHeal: true' : ''} }\n` : ''}    syncOptions: [CreateNamespace=true]
${options.retryLimit === undefined ? '' : `    retry: { limit: ${options.retryLimit}, backoff: { duration: 1s } }\n`}`;
  await s.store.putApplication(parseApplication(yaml, `${name}.yaml`));
}

/** Writes a render document for some objects; returns its key. */
export async function writeRender(s: Servers, revision: string, objects: KubeObject[]): Promise<string> {
  const key = (revision + '0'.repeat(64)).slice(0, 64).replace(/[^0-9a-f]/g, 'a');
  return writeRenderDocument(s.blobs, {
    format: RENDER_DOCUMENT_FORMAT, key, repoURL: 'https://github.com/acme/manifests.git', revision, path: '.', source: {},
    type: 'directory', objects: objects.map((object, i) => ({ object, source: { file: 'all.yaml', document: i, line: 1 } })), warnings: [],
    renderedAt: new Date().toISOString(),
  });
}
