// The drift λ against the Kubernetes simulator: objects deployed with their tracking annotation, a
// change made directly with kubectl, then the sweep: OutOfSync status, a selfHeal request for the
// automated Application (none for the manual one), a locked cluster skipped without a lock error
// (SECURITY.md §7 row 42), and new commits noticed in a repository that sends no webhook.
import './helpers/quiet.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type RunningSimulator } from '../../local/kube-sim/index.ts';
import { startGitHubStub, type RunningGitHubStub } from '../../local/github-stub/index.ts';
import { connectKubeconfig, type ClusterClient, type KubeClusterClient } from '../../shared/kube/index.ts';
import { cachedConnector, configureRuntime } from '../../shared/lambda/runtime.ts';
import { ENV } from '../../shared/config/env.ts';
import { parseApplication, type Application } from '../../shared/model/application.ts';
import { parseCluster } from '../../shared/model/cluster.ts';
import { parseManifestStream } from '../../shared/render/index.ts';
import { planSettings, trackDesired } from '../../shared/engine/operation-options.ts';
import { writeRenderDocument, RENDER_DOCUMENT_FORMAT } from '../../shared/engine/render-store.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import type { DriftResult } from '../../shared/lambda/contracts.ts';
import { startEdgeAws, type EdgeAws } from './helpers/aws.ts';
import { CONTEXT } from './helpers/events.ts';
import { applicationYaml, clusterYaml, configMap, createRepo, deployment, type TestRepo } from './helpers/repo.ts';

const SCHEMAS = '/work/shared/k8s-openapi/v1.32';
let sweep: (input: { trigger: 'schedule' }, context: unknown) => Promise<DriftResult>;

function objectsOf(...texts: string[]): KubeObject[] {
  return texts.flatMap((t) => parseManifestStream(t, 'x.yaml', 100).documents.map((d) => d.value as KubeObject));
}

describe('drift λ', () => {
  let aws: EdgeAws;
  let sim: RunningSimulator;
  let kube: KubeClusterClient;
  let repo: TestRepo;
  let github: RunningGitHubStub;
  let dir: string;
  let head: string;
  const apps = new Map<string, Application>();
  const clients = new Set<ClusterClient>();

  /** Deploys `objects` for `app` as a sync would (tracking annotation), and records them as its desired state. */
  async function deploy(name: string, objects: KubeObject[], revision: string, cluster = 'dev') {
    const app = apps.get(name)!;
    const settings = planSettings(app, { trigger: 'drift', initiatedBy: { automated: true }, dryRun: false, prune: false, strategy: 'hook' }, revision, 0);
    if (cluster === 'dev') {
      await kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: app.spec.destination.namespace! } });
      for (const obj of trackDesired(objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace: app.spec.destination.namespace } })), settings)) await kube.apply(obj);
    }
    const desiredKey = await writeRenderDocument(aws.blobs, {
      format: RENDER_DOCUMENT_FORMAT, key: createHash('sha256').update(name).digest('hex'), repoURL: app.spec.source.repoURL, revision, path: 'app', source: {}, type: 'directory',
      objects: objects.map((object, i) => ({ object, source: { file: 'app/all.yaml', document: i, line: 1 } })), warnings: [], renderedAt: new Date().toISOString(),
    });
    await aws.store.writeObservedStatus(name, { desiredKey, sync: { status: 'Synced', revision } }, cluster);
  }

  before(async () => {
    aws = await startEdgeAws();
    dir = mkdtempSync(join(tmpdir(), 'gitwave-edge-drift-'));
    sim = await startSimulator({ port: 0, kubeconfigPath: join(dir, 'kubeconfig'), schemasDir: SCHEMAS, rolloutDelaySeconds: 0.05, log: () => {} });
    kube = connectKubeconfig({ path: join(dir, 'kubeconfig') });
    repo = createRepo();
    head = repo.commit({ 'app/all.yaml': configMap('web-config', { color: 'blue' }) });
    github = await startGitHubStub({ repos: { 'acme/manifests': repo.dir } });
    process.env[ENV.GITHUB_API_URL] = github.apiUrl;
    await aws.store.putCluster(parseCluster(clusterYaml('dev', {}, { path: join(dir, 'kubeconfig'), context: 'gitwave-sim' }), 'c.yaml'));
    await aws.store.putCluster(parseCluster(clusterYaml('prod', {}, { path: join(dir, 'kubeconfig'), context: 'gitwave-sim' }), 'c.yaml'));
    const defs: Array<[string, Parameters<typeof applicationYaml>[1]]> = [
      ['web', { automated: true, selfHeal: true }], ['api', {}], ['locked', { cluster: 'prod', automated: true, selfHeal: true }],
      ['pinned', { targetRevision: 'a'.repeat(40) }],
    ];
    for (const [name, opts] of defs) {
      const app = parseApplication(applicationYaml(name, opts), 'app.yaml');
      apps.set(name, app);
      await aws.store.putApplication(app);
    }
    await deploy('web', objectsOf(configMap('web-config', { color: 'blue' }), deployment('web')), head);
    await deploy('api', objectsOf(configMap('api-config', { color: 'blue' })), head);
    await deploy('locked', objectsOf(configMap('locked-config', { color: 'blue' })), head, 'prod');
    await aws.store.acquire('prod', 'arn:aws:states:execution:sync:other', { syncId: 'other', leaseMs: 600_000 });
    // The handler's own connector, with its clients closed at the end (the simulator waits for them).
    const connector = cachedConnector();
    configureRuntime({
      connect: async (cluster, options) => {
        const client = await connector(cluster, options);
        clients.add(client);
        return client;
      },
    });
    ({ handler: sweep } = await import('../../functions/drift.ts') as never);
  });
  after(async () => {
    for (const client of clients) await client.close();
    await kube?.close();
    await github?.stop();
    await sim?.stop();
    await aws?.stop();
    repo?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reports Synced when the cluster matches the last desired state, and requests nothing', async () => {
    const result = await sweep({ trigger: 'schedule' }, CONTEXT);
    assert.equal(result.requested, 0);
    for (const name of ['web', 'api']) {
      const status = await aws.store.getStatus(name);
      assert.equal(status?.sync?.status, 'Synced', name);
      assert.ok((status?.resources ?? []).length > 0);
    }
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('finds a change made with kubectl: OutOfSync, and a selfHeal sync requested for the automated Application only', async () => {
    // The last sync of web succeeded at this revision, so the request is selfHeal's selective sync.
    const guard = await aws.store.acquire('dev', 'exec-1', { syncId: 'sync-1', leaseMs: 60_000 });
    assert.ok(guard.acquired);
    const started = new Date(Date.now() - 60_000).toISOString();
    await aws.store.finishOperation({
      syncId: 'sync-1', app: 'web', phase: 'Succeeded', revision: head, source: apps.get('web')!.spec.source, dryRun: false, prune: true,
      selective: false, fromGit: true, initiatedBy: { automated: true }, startedAt: started, finishedAt: started,
    }, { cluster: 'dev', owner: 'exec-1', fence: guard.fence }, { revisionHistoryLimit: 10 });
    assert.ok(await aws.store.release({ cluster: 'dev', owner: 'exec-1', fence: guard.fence }));
    for (const [name, ns] of [['web-config', 'web'], ['api-config', 'api']]) {
      // Asynchronously: the simulator answering kubectl runs in this process.
      await promisify(execFile)('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), '-n', ns, 'patch', 'configmap', name, '--type=merge', '-p', '{"data":{"color":"red"}}']);
    }
    const result = await sweep({ trigger: 'schedule' }, CONTEXT);
    for (const name of ['web', 'api']) {
      const status = await aws.store.getStatus(name);
      assert.equal(status?.sync?.status, 'OutOfSync', name);
      const rows = status!.resources as Array<{ kind: string; name: string; sync: { status: string } }>;
      assert.equal(rows.find((r) => r.kind === 'ConfigMap')!.sync.status, 'OutOfSync');
      assert.equal(status?.sync?.revision, head);
    }
    const queued = await aws.drainQueue();
    assert.equal(result.requested, 1);
    assert.deepEqual(queued.map((q) => [q.group, q.body.sha, q.body.trigger]), [['web', head, 'selfHeal']]);
  });

  it('skips a cluster whose lock is held: its status is left as the sync wrote it, with no lock error', async () => {
    const status = await aws.store.getStatus('locked');
    assert.equal(status?.resources, undefined);
    const lock = await aws.store.read('prod');
    assert.equal(lock?.owner, 'arn:aws:states:execution:sync:other');
  });

  it('notices a new commit in a repository that sends no webhook, once per commit', async () => {
    await aws.drainQueue();
    const next = repo.commit({ 'app/all.yaml': configMap('web-config', { color: 'green' }) });
    await sweep({ trigger: 'schedule' }, CONTEXT);
    const queued = (await aws.drainQueue()).filter((q) => q.body.sha === next);
    assert.deepEqual(queued.map((q) => q.group).sort(), ['api', 'locked', 'web']);
    for (const q of queued) assert.deepEqual({ ...q.body, app: undefined }, { app: undefined, sha: next, ref: 'refs/heads/main', trigger: 'drift' });
  });
});
