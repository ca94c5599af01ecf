// Failures, driven task by task against the real servers: a failing PreSync migration stops the sync
// before anything of the Sync phase is written and runs the SyncFail hook; a failed wave stops every
// later wave, and an apply task asked to go on anyway refuses (DESIGN.md, local Map fidelity note).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { acquireLock, releaseLock } from '../../shared/engine/lock-task.ts';
import { runRecordTask } from '../../shared/engine/record-task.ts';
import { runWaveTask } from '../../shared/engine/wave-task.ts';
import type { EngineDeps } from '../../shared/engine/deps.ts';
import type { SyncExecutionInput } from '../../shared/engine/contracts.ts';
import { driveSync, phaseLoop, type Step } from './driver.ts';
import { CLUSTER, engineDeps, recordingExecutions, registerApp, useServers, writeRender, type Servers } from './harness.ts';
import { deployment, job, shopManifests } from './manifests.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import type { OperationState } from '../../shared/sync/index.ts';

const servers = useServers();

/** Real server-side applies that succeeded in a namespace, from audit entry `from` on. */
function appliedIn(s: Servers, namespace: string, from = 0): string[] {
  return s.sim.audit().slice(from)
    .filter((e) => e.verb === 'patch' && e.patchType === 'apply' && !e.dryRun && e.code < 300 && e.namespace === namespace)
    .map((e) => `${e.resource}/${e.name}`);
}

function writesIn(s: Servers, namespace: string, from = 0): number {
  return s.sim.audit().slice(from).filter((e) => !['get', 'list', 'watch'].includes(e.verb) && !e.dryRun && e.namespace === namespace).length;
}

async function plan(s: Servers, deps: EngineDeps & { executions: ReturnType<typeof recordingExecutions> }, app: string, revision: string, objects: KubeObject[]): Promise<{ input: SyncExecutionInput; owner: string }> {
  const renderKey = await writeRender(s, revision, objects);
  const planned = await runPlan(deps, { app, revision, renderKey, trigger: 'webhook' });
  assert.equal(planned.outcome, 'started');
  const started = deps.executions.started.find((e) => e.name === planned.syncId)!;
  return { input: started.input, owner: planned.executionArn! };
}

describe('a failing PreSync migration', () => {
  it('applies nothing of the Sync phase, runs the SyncFail hook, records Failed, OutOfSync at the failed commit, history on the last good revision', async () => {
    const s = servers();
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    // One attempt: the retries of a failed auto-sync are retry.test.ts's subject.
    await registerApp(s, 'pay', 'pay', true, { retryLimit: 0 });
    const good = 'c0ffee0000000000000000000000000000000001';
    const first = await plan(s, deps, 'pay', good, shopManifests());
    assert.equal((await driveSync(deps, first.input, first.owner)).error, undefined);

    const bad = 'c0ffee0000000000000000000000000000000002';
    const second = await plan(s, deps, 'pay', bad, shopManifests({ failMigration: true, image: 'registry.example/rest:2' }));
    const mark = s.sim.audit().length;
    const drive = await driveSync(deps, second.input, second.owner);

    assert.equal(drive.error?.Error, 'gitwave.WaveFailed');
    const writes = appliedIn(s, 'pay', mark);
    assert.match(writes[0], /^jobs\/migrate-c0ffee0-presync-\d+$/);
    assert.deepEqual(writes.slice(1), ['jobs/notify-failure'], 'only the SyncFail hook follows the failed migration');
    const operation = await s.store.getOperation('pay', second.input.syncId);
    assert.equal(operation?.phase, 'Failed');
    const results = Object.values((operation?.result as { state: OperationState }).state.results);
    const migrate = results.find((r) => r.name.startsWith('migrate-'));
    assert.deepEqual({ hookPhase: migrate?.hookPhase, message: migrate?.message }, { hookPhase: 'Failed', message: 'Job has reached the specified backoff limit' });
    const named = `one or more synchronization tasks completed unsuccessfully, reason: Job/${migrate?.name}: Job has reached the specified backoff limit`;
    assert.equal(operation?.message, named, 'the message names the failed Job');
    assert.equal(results.find((r) => r.name === 'notify-failure')?.hookPhase, 'Succeeded');
    const status = await s.store.getStatus('pay');
    // SPEC-sync §5.1: the status compares against the failed commit; the last good one is in history.
    assert.deepEqual(status?.sync, { status: 'OutOfSync', revision: bad }, 'OutOfSync at the failed commit');
    assert.equal(status?.operationState?.phase, 'Failed');
    assert.equal(status?.operationState?.message, named);
    assert.deepEqual((await s.store.listHistory('pay')).map((h) => h.revision), [good]);
    assert.equal((await s.store.read(CLUSTER))?.held, false);
    assert.deepEqual({ recorded: drive.recorded.recorded, released: drive.released.released }, { recorded: true, released: true });
  });
});

describe('a failed wave', () => {
  it('stops every later wave, and an apply task of a later phase refuses to act', async () => {
    const s = servers();
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    await registerApp(s, 'waves', 'waves', true, { retryLimit: 0 });
    const objects = [job('check-schema', 'Sync', { fail: true, wave: 1 }), deployment('api', 1), deployment('web', 2), job('smoke', 'PostSync')];
    const { input, owner } = await plan(s, deps, 'waves', 'd00d000000000000000000000000000000000001', objects);
    const lock = await acquireLock(deps, { action: 'acquire', cluster: input.cluster, syncId: input.syncId, owner, attempt: 1 });
    const base = { app: input.app, cluster: input.cluster, syncId: input.syncId, planKey: input.planKey, owner, fence: lock.fence! };
    const steps: Step[] = [];
    assert.equal(await phaseLoop(deps, base, 'PreSync', steps), 'done');
    assert.equal(await phaseLoop(deps, base, 'Sync', steps), 'failed');

    // As the local interpreter's Map would: go on to the next iteration after a failure.
    const mark = s.sim.audit().length;
    for (const phase of ['Sync', 'PostSync'] as const) {
      const answer = await runWaveTask(deps, { ...base, phase }, 'apply');
      assert.equal(answer.status, 'failed', `${phase} apply refuses`);
    }
    assert.equal(writesIn(s, 'waves', mark), 0, 'nothing was written after the failure');
    assert.equal(await phaseLoop(deps, base, 'SyncFail', steps), 'done');
    assert.equal((await runRecordTask(deps, { ...base, outcome: 'Failed', error: { Error: 'gitwave.WaveFailed' } })).recorded, true);
    assert.equal((await releaseLock(deps, { action: 'release', cluster: input.cluster, owner, fence: lock.fence! })).released, true);

    const writes = appliedIn(s, 'waves');
    assert.ok(writes.includes('deployments/api') && writes.includes('jobs/check-schema'), 'wave 1 was applied');
    assert.ok(!writes.includes('deployments/web'), 'wave 2 never was');
    assert.ok(!writes.includes('jobs/smoke'), 'PostSync never ran');
    assert.equal((await s.store.getOperation('waves', input.syncId))?.phase, 'Failed');
  });
});
