// A whole sync of the team's app, driven task by task in the state machine's order, against DynamoDB Local,
// fauxqs's S3 and the Kubernetes simulator: the simulator's audit log shows the phases and waves in
// order, and status, history and the lock are left as they should be.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { readPlan } from '../../shared/engine/plan-document.ts';
import type { AuditEntry } from '../../local/kube-sim/index.ts';
import { driveSync } from './driver.ts';
import { CLUSTER, engineDeps, recordingExecutions, registerApp, useServers, writeRender } from './harness.ts';
import { shopManifests } from './manifests.ts';

const servers = useServers();
const REV_A = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

/** Real (not dry-run) writes that succeeded, as `resource/name`. */
export function applied(audit: AuditEntry[], namespace?: string): string[] {
  return audit
    .filter((e) => e.verb === 'patch' && e.patchType === 'apply' && !e.dryRun && e.code < 300 && !e.subresource && (namespace === undefined || e.namespace === namespace || e.resource === 'namespaces'))
    .map((e) => `${e.resource}/${e.name}`);
}

describe('a sync of PreSync hook, two waves and a PostSync hook', () => {
  it('applies phase by phase and wave by wave, and records status and history', async () => {
    const s = servers();
    await registerApp(s, 'shop', 'shop');
    const renderKey = await writeRender(s, REV_A, shopManifests());
    const executions = recordingExecutions();
    const deps = engineDeps(s, { executions });

    const planned = await runPlan(deps, { app: 'shop', revision: REV_A, renderKey, trigger: 'webhook' });
    assert.equal(planned.outcome, 'started');
    const { input } = executions.started[0];
    const drive = await driveSync(deps, input, planned.executionArn!);

    assert.equal(drive.error, undefined, JSON.stringify(drive.steps.at(-1)));
    assert.deepEqual({ recorded: drive.recorded.recorded, released: drive.released.released }, { recorded: true, released: true });
    const writes = applied(s.sim.audit()).filter((w) => w !== 'namespaces/shop');
    assert.match(writes[0], /^jobs\/migrate-a1b2c3d-presync-\d+$/);
    assert.deepEqual(writes.slice(1), ['deployments/grpc', 'deployments/rest', 'jobs/smoke']);
    assert.ok(!writes.some((w) => w.includes('notify-failure')), 'the SyncFail hook does not run on success');

    const status = await s.store.getStatus('shop');
    assert.deepEqual(status?.sync, { status: 'Synced', revision: REV_A });
    assert.equal(status?.operationState?.phase, 'Succeeded');
    assert.equal(status?.operationState?.message, 'successfully synced (no more tasks)');
    const history = await s.store.listHistory('shop');
    assert.deepEqual(history.map((h) => ({ id: h.id, revision: h.revision, fromGit: h.fromGit })), [{ id: 0, revision: REV_A, fromGit: true }]);
    assert.equal((await s.store.read(CLUSTER))?.held, false);
    const note = s.notifications().find((n) => n.app === 'shop');
    assert.deepEqual(note && { phase: note.phase, revision: note.revision, fromGit: note.fromGit }, { phase: 'Succeeded', revision: REV_A, fromGit: true });
  });

  it('dry-runs every task before the first real write', async () => {
    const s = servers();
    const audit = s.sim.audit().filter((e) => e.verb === 'patch' && e.namespace === 'shop');
    const firstReal = audit.findIndex((e) => !e.dryRun);
    const dryRuns = audit.slice(0, firstReal).filter((e) => e.dryRun).map((e) => `${e.resource}/${e.name}`);
    for (const name of ['deployments/grpc', 'deployments/rest', 'jobs/smoke']) assert.ok(dryRuns.includes(name), `${name} is dry-run first`);
  });

  it('leaves objects tracked to the app and hooks without the hook finalizer', async () => {
    const s = servers();
    const grpc = await s.kube.get({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'grpc' });
    assert.equal(grpc?.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'shop:apps/Deployment:shop/grpc');
    const smoke = await s.kube.get({ group: 'batch', kind: 'Job', namespace: 'shop', name: 'smoke' });
    assert.ok(smoke, 'the PostSync Job exists');
    assert.ok(!(smoke.metadata.finalizers ?? []).includes('argocd.argoproj.io/hook-finalizer'));
  });

  it('plans the same revision again as in sync, and starts nothing', async () => {
    const s = servers();
    const renderKey = await writeRender(s, REV_A, shopManifests());
    const executions = recordingExecutions();
    const planned = await runPlan(engineDeps(s, { executions }), { app: 'shop', revision: REV_A, renderKey, trigger: 'drift' });
    assert.equal(planned.outcome, 'inSync');
    assert.equal(executions.started.length, 0);
  });

  it('starts one execution for a request delivered twice, with one plan document', async () => {
    const s = servers();
    const rev = 'b1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const renderKey = await writeRender(s, rev, shopManifests({ image: 'registry.example/rest:2' }));
    const executions = recordingExecutions();
    const deps = engineDeps(s, { executions });
    const first = await runPlan(deps, { app: 'shop', revision: rev, renderKey, trigger: 'webhook' });
    const second = await runPlan(deps, { app: 'shop', revision: rev, renderKey, trigger: 'webhook' });
    assert.equal(first.outcome, 'started');
    assert.equal(second.syncId, first.syncId);
    assert.equal(executions.started.length, 1);
    const plan = await readPlan(s.blobs, executions.started[0].input.planKey);
    assert.equal(plan.revision, rev);
    assert.ok(plan.outOfSync.includes('apps/Deployment/shop/rest'), 'the changed Deployment is OutOfSync');
    assert.ok(!plan.outOfSync.includes('apps/Deployment/shop/grpc'), 'the unchanged one is not');
  });

  it('prunes an object removed from Git', async () => {
    const s = servers();
    const rev = 'c1c2c3d4e5f60718293a4b5c6d7e8f9012345678';
    const renderKey = await writeRender(s, rev, shopManifests().filter((o) => o.metadata.name !== 'rest'));
    const executions = recordingExecutions();
    const deps = engineDeps(s, { executions });
    const planned = await runPlan(deps, { app: 'shop', revision: rev, renderKey, trigger: 'webhook' });
    assert.equal(planned.outcome, 'started');
    const mark = s.sim.audit().length;
    const drive = await driveSync(deps, executions.started[0].input, planned.executionArn!);
    assert.equal(drive.error, undefined);
    const deletes = s.sim.audit().slice(mark).filter((e) => e.verb === 'delete' && e.resource === 'deployments');
    assert.deepEqual(deletes.map((e) => e.name), ['rest']);
    assert.equal(await s.kube.get({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'rest' }), undefined);
    const status = await s.store.getStatus('shop');
    assert.ok(!(status?.resources as Array<{ name: string }>).some((r) => r.name === 'rest'), 'the pruned object left the status');
    assert.deepEqual((await s.store.listHistory('shop')).map((h) => h.revision), [REV_A, rev]);
  });
});
