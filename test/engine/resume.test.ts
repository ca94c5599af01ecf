// The tasks' safety on re-runs and takeovers, against the real servers: a task whose fence is stale
// writes nothing (cluster, operation, status, history); a task killed right after creating a hook is
// re-run without creating or deleting the hook again, and the sync completes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { acquireLock, releaseLock } from '../../shared/engine/lock-task.ts';
import { runRecordTask } from '../../shared/engine/record-task.ts';
import { runWaveTask } from '../../shared/engine/wave-task.ts';
import { TransientClusterError, type ClusterClient } from '../../shared/kube/index.ts';
import { SYNC_PHASES } from '../../shared/engine/contracts.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { driveSync, phaseLoop, type Step } from './driver.ts';
import { CLUSTER, engineDeps, recordingExecutions, registerApp, useServers, type Servers, writeRender } from './harness.ts';
import { shopManifests } from './manifests.ts';

const servers = useServers();

async function started(s: Servers, app: string, revision: string) {
  const executions = recordingExecutions();
  const deps = engineDeps(s, { executions });
  await registerApp(s, app, app);
  const renderKey = await writeRender(s, revision, shopManifests());
  const planned = await runPlan(deps, { app, revision, renderKey, trigger: 'webhook' });
  return { deps, input: executions.started[0].input, owner: planned.executionArn! };
}

function clusterWrites(s: Servers, from: number): number {
  return s.sim.audit().slice(from).filter((e) => !['get', 'list', 'watch'].includes(e.verb) && e.resource !== '').length;
}

describe('a stale fence', () => {
  it('stops the task and the record before any write', async () => {
    const s = servers();
    const { deps, input, owner } = await started(s, 'stale', 'e0e0000000000000000000000000000000000001');
    const old = await acquireLock(deps, { action: 'acquire', cluster: CLUSTER, syncId: input.syncId, owner, attempt: 1 });
    s.clock.offset += 5 * 60_000; // the lease (60 s in these tests) lapses: a newer execution takes over
    const newer = await acquireLock(deps, { action: 'acquire', cluster: CLUSTER, syncId: 'other', owner: 'arn:other-execution', attempt: 1 });
    assert.ok(newer.acquired && newer.fence! > old.fence!);
    const mark = s.sim.audit().length;
    const base = { app: input.app, cluster: CLUSTER, syncId: input.syncId, planKey: input.planKey, owner, fence: old.fence! };

    const answer = await runWaveTask(deps, { ...base, phase: 'PreSync' }, 'apply');
    assert.equal(answer.status, 'failed');
    assert.match(answer.message ?? '', /lock on sim lost/);
    assert.equal(clusterWrites(s, mark), 0, 'no cluster write');
    assert.equal(await s.store.getOperation('stale', input.syncId), undefined, 'no operation record');
    assert.deepEqual(await runRecordTask(deps, { ...base, outcome: 'Failed' }), { recorded: false });
    assert.equal((await s.store.listHistory('stale')).length, 0);
    assert.deepEqual(await releaseLock(deps, { action: 'release', cluster: CLUSTER, owner, fence: old.fence! }), { released: false });
    assert.equal((await s.store.read(CLUSTER))?.owner, 'arn:other-execution', 'the newer holder keeps the lock');
    assert.equal((await releaseLock(deps, { action: 'release', cluster: CLUSTER, owner: 'arn:other-execution', fence: newer.fence! })).released, true);
    s.clock.offset = 0;
  });
});

/** The simulator's client with another `apply`. */
function withApply(kube: ClusterClient, apply: ClusterClient['apply']): ClusterClient {
  return {
    apply,
    dryRunApply: (obj, options) => kube.dryRunApply(obj, options),
    get: (ref) => kube.get(ref),
    list: (type, options) => kube.list(type, options),
    delete: (ref, options) => kube.delete(ref, options),
    discover: (type) => kube.discover(type),
    scopeOf: (group, kind) => kube.scopeOf(group, kind),
    waitForKind: (type, timeoutMs) => kube.waitForKind(type, timeoutMs),
    removeFinalizer: (ref, finalizer) => kube.removeFinalizer(ref, finalizer),
    close: async () => {},
  };
}

/** A client that dies right after the first real apply of a hook Job returned, as a Lambda timeout would. */
function dyingAfterHookApply(kube: ClusterClient): ClusterClient & { killed: boolean } {
  const dying: ClusterClient & { killed: boolean } = Object.assign(withApply(kube, async (obj: KubeObject, options) => {
    const result = await kube.apply(obj, options);
    if (!dying.killed && obj.kind === 'Job') {
      dying.killed = true;
      throw new TransientClusterError('failed to apply: connection reset (task killed)');
    }
    return result;
  }), { killed: false });
  return dying;
}

describe('a task killed mid-wave', () => {
  it('is re-run without creating the hook twice, and the sync completes', async () => {
    const s = servers();
    const { deps, input, owner } = await started(s, 'resume', 'f0f0000000000000000000000000000000000001');
    const lock = await acquireLock(deps, { action: 'acquire', cluster: CLUSTER, syncId: input.syncId, owner, attempt: 1 });
    const base = { app: input.app, cluster: CLUSTER, syncId: input.syncId, planKey: input.planKey, owner, fence: lock.fence! };
    const dying = dyingAfterHookApply(s.kube);
    const killable = { ...deps, connect: async () => dying };

    // The first apply makes the namespace (and the dry run); the second creates the migration Job and dies.
    let answer = await runWaveTask(killable, { ...base, phase: 'PreSync' }, 'apply');
    while (answer.status !== 'failed' && !dying.killed) {
      answer = await runWaveTask(killable, { ...base, phase: 'PreSync' }, answer.status === 'waveDone' ? 'apply' : 'check').catch((e: Error) => ({ status: 'failed' as const, message: e.message }));
    }
    assert.ok(dying.killed, 'the task died after creating the hook');

    const steps: Step[] = [];
    for (const phase of SYNC_PHASES) assert.equal(await phaseLoop(deps, base, phase, steps), 'done', `${phase} completes`);
    assert.deepEqual(await runRecordTask(deps, { ...base, outcome: 'Succeeded' }), { recorded: true });
    await releaseLock(deps, { action: 'release', cluster: CLUSTER, owner, fence: lock.fence! });

    const migrate = s.sim.audit().filter((e) => e.resource === 'jobs' && e.namespace === 'resume' && e.name.startsWith('migrate-') && !e.dryRun);
    assert.equal(migrate.filter((e) => e.verb === 'patch' && e.patchType === 'apply').length, 1, 'the Job was applied once');
    assert.equal(migrate.filter((e) => e.verb === 'delete').length, 0, 'and never deleted to be re-created');
    assert.equal((await s.store.getOperation('resume', input.syncId))?.phase, 'Succeeded');
  });
});

describe('a cluster that stays unreachable', () => {
  it('ends the sync Failed with the error, without SyncFail hooks, and frees the lock', async () => {
    const s = servers();
    const { deps, input, owner } = await started(s, 'down', 'a0a0000000000000000000000000000000000001');
    const unreachable = withApply(s.kube, async () => {
      throw new TransientClusterError('failed to apply namespaces/down: connection refused');
    });
    const drive = await driveSync({ ...deps, connect: async () => unreachable }, input, owner);
    assert.equal(drive.error?.Error, 'TransientClusterError');
    const operation = await s.store.getOperation('down', input.syncId);
    assert.equal(operation?.phase, 'Failed');
    // An automated sync is retried five times by default (SPEC-sync §6), each attempt failing the same way.
    assert.equal(drive.records.length, 6);
    assert.equal(operation?.message, 'TransientClusterError: failed to apply namespaces/down: connection refused (retried 5 times).');
    assert.ok(!s.sim.audit().some((e) => e.namespace === 'down' && e.name === 'notify-failure' && e.verb === 'patch' && !e.dryRun), 'no SyncFail hook');
    assert.equal((await s.store.read(CLUSTER))?.held, false);
  });

  it('while the state machine is to run the step again, the status says what failed and within which waits', async () => {
    const s = servers();
    const { deps, input, owner } = await started(s, 'down-note', 'a0a0000000000000000000000000000000000002');
    const unreachable = withApply(s.kube, async () => {
      throw new TransientClusterError('failed to apply namespaces/down-note: connection refused (gave up after 6 attempts)');
    });
    const lock = await acquireLock(deps, { action: 'acquire', cluster: input.cluster, syncId: input.syncId, owner, attempt: 1 });
    const task = { app: input.app, cluster: input.cluster, syncId: input.syncId, planKey: input.planKey, owner, fence: lock.fence!, phase: 'PreSync' as const };
    await assert.rejects(runWaveTask({ ...deps, connect: async () => unreachable }, task, 'apply'), TransientClusterError);
    const status = await s.store.getStatus('down-note');
    assert.equal(status?.operationState?.phase, 'Running');
    assert.equal(status?.operationState?.message, 'failed to apply namespaces/down-note: connection refused (gave up after 6 attempts); the client gave up: the state machine runs this step again within 10 s, 20 s, 40 s (3 times at most)');
    await releaseLock(deps, { action: 'release', cluster: input.cluster, owner, fence: lock.fence! });
  });
});
