// Pushes during a sync end on the newest commit (SECURITY.md §7 rows 13, 33; shared/engine/supersede.ts):
// a sync of a newer commit starts while an older one runs or waits for the lock, and a pending older
// sync that gets the lock after it applies nothing, ends Terminated as superseded, and leaves history
// and status to the newer one. A duplicate of the running revision still starts nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { runWaveTask } from '../../shared/engine/wave-task.ts';
import { acquireLock, releaseLock } from '../../shared/engine/lock-task.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { driveSync } from './driver.ts';
import { CLUSTER, engineDeps, recordingExecutions, registerApp, useServers, writeRender, type Servers } from './harness.ts';
import { configMap } from './manifests.ts';

const servers = useServers();
const OLD = 'a1d0000000000000000000000000000000000001';
const NEW = 'b2e0000000000000000000000000000000000002';

async function plan(s: Servers, deps: ReturnType<typeof engineDeps>, revision: string, objects: KubeObject[], app = 'newest') {
  return runPlan(deps, { app, revision, renderKey: await writeRender(s, revision, objects), trigger: 'webhook' });
}

describe('syncs of one Application requested one after the other', () => {
  it('a pending older sync that gets the lock after the newer one applies nothing and is recorded superseded', async () => {
    const s = servers();
    await registerApp(s, 'newest', 'newest');
    const executions = recordingExecutions();
    const deps = { ...engineDeps(s), executions };
    assert.equal((await plan(s, deps, OLD, [configMap('old')])).outcome, 'started');
    assert.equal((await plan(s, deps, NEW, [configMap('new')])).outcome, 'started', 'the newer commit is not held back by the pending sync');
    const [older, newer] = executions.started.map((x) => x.input);

    const first = await driveSync(deps, newer, 'exec-newer');
    assert.equal(first.error, undefined);
    const second = await driveSync(deps, older, 'exec-older');

    assert.ok(second.steps.every((step) => step.mode === 'apply' && step.result.status === 'phaseDone'), 'the superseded sync acts in no phase');
    assert.deepEqual(second.records, [{ recorded: true }], 'no retry of a superseded operation');
    assert.equal(second.released.released, true);
    const operation = await s.store.getOperation('newest', older.syncId);
    assert.deepEqual({ phase: operation?.phase, message: operation?.message }, { phase: 'Terminated', message: `superseded by a newer sync of ${NEW.slice(0, 7)}` });
    assert.equal(await s.kube.get({ group: '', kind: 'ConfigMap', namespace: 'newest', name: 'old' }), undefined);
    assert.ok(await s.kube.get({ group: '', kind: 'ConfigMap', namespace: 'newest', name: 'new' }));
    assert.deepEqual((await s.store.listHistory('newest')).map((h) => h.revision), [NEW]);
    const status = await s.store.getStatus('newest');
    assert.deepEqual({ revision: status?.sync?.revision, operation: status?.operationState?.syncId }, { revision: NEW, operation: newer.syncId });
  });

  it('a push while a sync runs starts the newer commit at once; a duplicate of the running revision starts nothing', async () => {
    const s = servers();
    await registerApp(s, 'pushed', 'pushed');
    const executions = recordingExecutions();
    const deps = { ...engineDeps(s), executions };
    await plan(s, deps, OLD, [configMap('old')], 'pushed');
    const running = executions.started[0].input;
    const lock = await acquireLock(deps, { action: 'acquire', cluster: CLUSTER, syncId: running.syncId, owner: 'exec-running', attempt: 1 });
    const task = { app: 'pushed', cluster: CLUSTER, syncId: running.syncId, planKey: running.planKey, owner: 'exec-running', fence: lock.fence!, phase: 'PreSync' as const };
    await runWaveTask(deps, task, 'apply');
    assert.equal((await s.store.getOperation('pushed', running.syncId))?.phase, 'Running');

    assert.equal((await plan(s, deps, OLD, [configMap('old')], 'pushed')).outcome, 'planned', 'the same revision is already running');
    assert.equal((await plan(s, deps, NEW, [configMap('new')], 'pushed')).outcome, 'started');
    assert.deepEqual(executions.started.map((x) => x.input.revision), [OLD, NEW]);
    await releaseLock(deps, { action: 'release', cluster: CLUSTER, owner: 'exec-running', fence: lock.fence! });
  });
});
