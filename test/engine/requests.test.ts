// Operation requests a person makes (manual sync with one-off overrides, dry run, rollback), planned
// against the real servers: overrides are allowed only on dev clusters and are recorded as not from
// Git; a dry run writes nothing and enters no history; a rollback is refused while auto-sync is on.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import type { OperationRequest } from '../../shared/engine/requests.ts';
import { driveSync } from './driver.ts';
import { engineDeps, recordingExecutions, registerApp, useServers, writeRender, type Servers } from './harness.ts';
import { configMap, deployment } from './manifests.ts';

const servers = useServers();
const REV = '5eed000000000000000000000000000000000001';

async function request(s: Servers, app: string, extra: Partial<OperationRequest>): Promise<ReturnType<typeof engineDeps> & { executions: ReturnType<typeof recordingExecutions> }> {
  const deps = { ...engineDeps(s), executions: recordingExecutions(), requests: s.requests };
  await s.requests.putRequest({ requestId: `${app}-req`, app, initiatedBy: { username: 'alice' }, createdAt: new Date().toISOString(), ...extra });
  return deps;
}

describe('a manual sync with one-off overrides', () => {
  it('deploys on a dev cluster and is recorded in history as not from Git', async () => {
    const s = servers();
    await registerApp(s, 'preview', 'preview', false);
    const renderKey = await writeRender(s, REV, [deployment('api', 0, 'registry.example/api:dev-42')]);
    const deps = await request(s, 'preview', { overrides: { kustomize: { images: ['registry.example/api:dev-42'] } } });
    const planned = await runPlan(deps, { app: 'preview', revision: REV, renderKey, trigger: 'manual', requestId: 'preview-req' });
    assert.equal(planned.outcome, 'started');
    const drive = await driveSync(deps, deps.executions.started[0].input, planned.executionArn!);
    assert.equal(drive.error, undefined);
    const [entry] = await s.store.listHistory('preview');
    assert.deepEqual({ revision: entry.revision, fromGit: entry.fromGit, by: entry.initiatedBy.username }, { revision: REV, fromGit: false, by: 'alice' });
    assert.deepEqual((await s.store.getStatus('preview'))?.sync, { status: 'OutOfSync', revision: REV }, 'live differs from Git by the override');
  });

  it('is refused on a cluster not labelled env=dev, and starts nothing', async () => {
    const s = servers();
    await s.store.putCluster({ ...s.cluster, name: 'prod', labels: { env: 'prod' } });
    const yaml = (await s.store.getApplication('preview'))!.app;
    await s.store.putApplication({ ...yaml, metadata: { ...yaml.metadata, name: 'live' }, spec: { ...yaml.spec, destination: { name: 'prod', namespace: 'live' } } });
    const renderKey = await writeRender(s, REV, [configMap('settings')]);
    const deps = await request(s, 'live', { overrides: { kustomize: { images: ['x:1'] } } });
    const planned = await runPlan(deps, { app: 'live', revision: REV, renderKey, trigger: 'manual', requestId: 'live-req' });
    assert.equal(planned.outcome, 'planned');
    assert.equal(deps.executions.started.length, 0);
    const conditions = (await s.store.getStatus('live'))?.conditions ?? [];
    assert.match(conditions[0]?.message ?? '', /overrides are allowed only on clusters labelled env=dev, not on prod/);
  });
});

describe('a dry run', () => {
  it('writes nothing to the cluster and enters no history', async () => {
    const s = servers();
    await registerApp(s, 'trial', 'trial', false);
    // A dry run cannot make its namespace for real, and the server-side dry run of objects in a
    // namespace that does not exist fails (reported to the planner's owner): this one exists.
    await s.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'trial' } });
    const renderKey = await writeRender(s, REV, [configMap('settings'), deployment('api', 1)]);
    const deps = await request(s, 'trial', { dryRun: true });
    const planned = await runPlan(deps, { app: 'trial', revision: REV, renderKey, trigger: 'manual', requestId: 'trial-req' });
    const mark = s.sim.audit().length;
    const drive = await driveSync(deps, deps.executions.started[0].input, planned.executionArn!);
    assert.equal(drive.error, undefined);
    const writes = s.sim.audit().slice(mark).filter((e) => e.namespace === 'trial' && !['get', 'list'].includes(e.verb) && !e.dryRun);
    assert.deepEqual(writes, []);
    assert.equal((await s.store.getOperation('trial', planned.syncId!))?.phase, 'Succeeded');
    assert.deepEqual(await s.store.listHistory('trial'), []);
    // The plan step compared against REV (sync.revision is the revision last compared); the dry run left it OutOfSync.
    assert.deepEqual((await s.store.getStatus('trial'))?.sync, { status: 'OutOfSync', revision: REV }, 'nothing was synced');
  });
});

describe('a rollback', () => {
  it('is refused while automated sync is on', async () => {
    const s = servers();
    await registerApp(s, 'auto', 'auto', true);
    const renderKey = await writeRender(s, REV, [configMap('settings')]);
    const deps = await request(s, 'auto', { rollbackId: 0 });
    const planned = await runPlan(deps, { app: 'auto', revision: REV, renderKey, trigger: 'manual', requestId: 'auto-req' });
    assert.equal(planned.outcome, 'planned');
    assert.match((await s.store.getStatus('auto'))?.conditions?.[0]?.message ?? '', /rollback is refused while automated sync is on/);
  });
});

describe('a rollback to a history entry', () => {
  it('records the entry\'s source in the operation and in history, not the Application\'s current source', async () => {
    const s = servers();
    await registerApp(s, 'roll', 'roll', false);
    const first = await writeRender(s, REV, [configMap('settings')]);
    const deps = await request(s, 'roll', { requestId: 'roll-1' });
    const synced = await runPlan(deps, { app: 'roll', revision: REV, renderKey: first, trigger: 'manual', requestId: 'roll-1' });
    assert.equal((await driveSync(deps, deps.executions.started[0].input, synced.executionArn!)).error, undefined);
    const [entry] = await s.store.listHistory('roll');
    assert.equal(entry.source.path, 'roll');
    // The Application moves on to another path; the rollback goes back to what entry 0 deployed.
    const stored = (await s.store.getApplication('roll'))!.app;
    await s.store.putApplication({ ...stored, spec: { ...stored.spec, source: { ...stored.spec.source, path: 'roll-v2' } } });
    await s.requests.putRequest({ requestId: 'roll-2', app: 'roll', rollbackId: entry.id, initiatedBy: { username: 'alice' }, createdAt: new Date().toISOString() });
    const rolled = await runPlan(deps, { app: 'roll', revision: REV, renderKey: first, trigger: 'manual', requestId: 'roll-2' });
    assert.equal(rolled.outcome, 'started');
    assert.equal((await driveSync(deps, deps.executions.started[1].input, rolled.executionArn!)).error, undefined);
    assert.equal((await s.store.getOperation('roll', rolled.syncId!))?.source.path, 'roll');
    const history = await s.store.listHistory('roll');
    assert.deepEqual(history.map((h) => [h.id, h.revision, h.source.path]), [[0, REV, 'roll'], [1, REV, 'roll']]);
  });
});
