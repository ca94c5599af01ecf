// selfHeal against the real servers: a change made in the cluster behind gitwave's back makes the plan
// step start a selective sync of only the changed resource (no hooks, no history), and once it has
// succeeded the Application shows Synced at once, with every resource still listed and its health kept,
// not OutOfSync until the next drift sweep.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { readPlan } from '../../shared/engine/plan-document.ts';
import { driveSync } from './driver.ts';
import { engineDeps, recordingExecutions, registerApp, useServers, writeRender } from './harness.ts';
import { configMap, deployment } from './manifests.ts';

const servers = useServers();
const REV = '5e1f000000000000000000000000000000000001';

type Row = { kind: string; name: string; sync: { status: string | null }; health: { status: string | null } };

describe('a selfHeal sync', () => {
  it('heals only the changed resource, and the status says Synced as soon as it succeeded', async () => {
    const s = servers();
    await registerApp(s, 'heal', 'heal', true, { selfHeal: true });
    const renderKey = await writeRender(s, REV, [configMap('settings'), deployment('api', 1)]);
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    const first = await runPlan(deps, { app: 'heal', revision: REV, renderKey, trigger: 'webhook' });
    assert.equal((await driveSync(deps, deps.executions.started[0].input, first.executionArn!)).error, undefined);
    const listed = (rows: Row[]) => rows.map((r) => `${r.kind}/${r.name}`).sort();
    const synced = listed((await s.store.getStatus('heal'))?.resources as Row[]);
    assert.ok(synced.includes('ConfigMap/settings') && synced.includes('Deployment/api'));

    // Someone edits the ConfigMap in the cluster.
    const live = (await s.kube.get({ group: '', kind: 'ConfigMap', namespace: 'heal', name: 'settings' }))!;
    const { managedFields: _m, resourceVersion: _r, uid: _u, creationTimestamp: _c, ...metadata } = live.metadata as Record<string, unknown>;
    await s.kube.apply({ ...live, metadata: metadata as typeof live.metadata, data: { key: 'edited' } });

    const healing = await runPlan(deps, { app: 'heal', revision: REV, renderKey, trigger: 'selfHeal' });
    assert.equal(healing.outcome, 'started');
    const observed = await s.store.getStatus('heal');
    assert.equal(observed?.sync?.status, 'OutOfSync');
    const apiHealth = (observed?.resources as Row[]).find((r) => r.name === 'api')?.health;
    assert.ok(apiHealth?.status, 'the plan step saw the Deployment\'s health');
    const input = deps.executions.started[1].input;
    assert.deepEqual((await readPlan(s.blobs, input.planKey)).operation.resources?.map((r) => r.name), ['settings'], 'a selective sync');
    assert.equal((await driveSync(deps, input, healing.executionArn!)).error, undefined);

    const status = await s.store.getStatus('heal');
    assert.deepEqual(status?.sync, { status: 'Synced', revision: REV });
    const rows = (status?.resources ?? []) as Row[];
    assert.deepEqual(listed(rows), synced, 'every resource is still listed');
    assert.ok(rows.every((r) => r.sync.status === 'Synced'), JSON.stringify(rows.map((r) => [r.name, r.sync.status])));
    assert.deepEqual(rows.find((r) => r.name === 'api')?.health, apiHealth, 'the resource the sync did not touch keeps its health');
    const healed = await s.kube.get({ group: '', kind: 'ConfigMap', namespace: 'heal', name: 'settings' });
    assert.equal((healed?.data as Record<string, string> | undefined)?.key, 'value');
    assert.equal((await s.store.listHistory('heal')).length, 1, 'a selective sync enters no history');
  });
});
