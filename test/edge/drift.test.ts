// The drift λ against the Kubernetes simulator: objects deployed with their tracking annotation, a
// change made directly with kubectl, then the sweep: OutOfSync status, a selfHeal request for the
// automated Application (none for the manual one), a locked cluster skipped without a lock error
// (SECURITY.md §7 row 42), and new commits noticed in a repository that sends no webhook.
import './helpers/quiet.ts';
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startGitHubStub, type RunningGitHubStub } from '../../local/github-stub/index.ts';
import { ENV } from '../../shared/config/env.ts';
import { parseApplication, type Application } from '../../shared/model/application.ts';
import { parseCluster } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import type { DriftResult } from '../../shared/engine/contracts.ts';
import { startEdgeAws, type EdgeAws } from './helpers/aws.ts';
import { CONTEXT } from './helpers/events.ts';
import { deployDesired, objectsOf, startEdgeSim, type EdgeSim } from './helpers/deploy.ts';
import { applicationYaml, clusterYaml, configMap, createRepo, deployment, type TestRepo } from './helpers/repo.ts';

let sweep: (input: { trigger: 'schedule' }, context: unknown) => Promise<DriftResult>;

describe('drift λ', () => {
  let aws: EdgeAws;
  let edge: EdgeSim;
  let repo: TestRepo;
  let github: RunningGitHubStub;
  let head: string;
  const apps = new Map<string, Application>();

  const deploy = (name: string, objects: KubeObject[], revision: string, cluster = 'dev') =>
    deployDesired(aws, cluster === 'dev' ? edge.kube : undefined, apps.get(name)!, objects, revision);

  before(async () => {
    aws = await startEdgeAws();
    edge = await startEdgeSim();
    repo = createRepo();
    head = repo.commit({ 'app/all.yaml': configMap('web-config', { color: 'blue' }) });
    github = await startGitHubStub({ repos: { 'acme/manifests': repo.dir } });
    process.env[ENV.GITHUB_API_URL] = github.apiUrl;
    await aws.store.putCluster(parseCluster(clusterYaml('dev', {}, { path: edge.kubeconfig, context: 'gitwave-sim' }), 'c.yaml'));
    await aws.store.putCluster(parseCluster(clusterYaml('prod', {}, { path: edge.kubeconfig, context: 'gitwave-sim' }), 'c.yaml'));
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
    ({ handler: sweep } = await import('../../functions/drift.ts') as never);
  });
  after(async () => {
    await github?.stop();
    await edge?.stop();
    await aws?.stop();
    repo?.remove();
  });

  it('reports Synced when the cluster matches the last desired state, requests nothing, and rewrites nothing the next time', async () => {
    const result = await sweep({ trigger: 'schedule' }, CONTEXT);
    assert.equal(result.requested, 0);
    for (const name of ['web', 'api']) {
      const status = await aws.store.getStatus(name);
      assert.equal(status?.sync?.status, 'Synced', name);
      assert.ok((status?.resources ?? []).length > 0);
    }
    assert.deepEqual(await aws.drainQueue(), []);
    // A second sweep finds nothing new: the statuses are not written again (their comparison sequence stays).
    const sequences = async () => Promise.all(['web', 'api'].map(async (name) => (await aws.store.getStatus(name))?.comparedSeq));
    const before = await sequences();
    assert.ok(before.every((seq) => typeof seq === 'number'));
    assert.equal((await sweep({ trigger: 'schedule' }, CONTEXT)).requested, 0);
    assert.deepEqual(await sequences(), before);
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
      await edge.kubectl('-n', ns, 'patch', 'configmap', name, '--type=merge', '-p', '{"data":{"color":"red"}}');
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
