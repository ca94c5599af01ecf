// Failure handling of the tick (SPEC-sync §1.1 step 4, §1.7, §2.6): what fails, with which message,
// and when SyncFail hooks run or do not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, settings } from './helpers.ts';
import { World, syncUntilDone } from './world.ts';

const WEB = 'apps/Deployment/default/web:Sync';
const ROLLBACK = 'batch/Job/default/rollback-abcdef0-syncfail-1700000000:SyncFail';

describe('tick: failures', () => {
  it('an apply failure runs the SyncFail hooks, then fails with their outcome; HookFailed hooks are deleted (§2.6)', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    world.failures.set(`apply:${WEB}`, 'admission webhook denied the request');
    const { state, ticks } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => { if (i >= 4) w.setHealth('rollback-abcdef0-syncfail-1700000000', 'Degraded'); },
    });
    assert.equal(ticks[2].message, 'one or more objects failed to apply, reason: Deployment/web: admission webhook denied the request');
    assert.deepEqual(ticks[2].next, { kind: 'wait', seconds: 0 }, 'the SyncFail hooks start on the very next tick');
    assert.equal(ticks[3].message, 'waiting for completion of hook batch/Job/rollback-abcdef0-syncfail-1700000000');
    assert.equal(state.phase, 'Failed');
    assert.equal(state.message, 'one or more synchronization tasks completed unsuccessfully, reason: Deployment/web: admission webhook denied the request\n'
      + 'one or more SyncFail hooks failed, reason: Job/rollback-abcdef0-syncfail-1700000000: rollback-abcdef0-syncfail-1700000000 is degraded');
    assert.equal(state.results[WEB].status, 'SyncFailed');
    assert.ok(!world.has('Job', 'notify'), 'no PostSync after a Sync failure');
    assert.ok(!world.has('Job', 'migrate'), 'HookFailed PreSync hook deleted');
    assert.ok(!world.has('Job', 'rollback-abcdef0-syncfail-1700000000'), 'HookFailed SyncFail hook deleted once it completed');
    assert.ok(world.has('ServiceAccount', 'migrate-sa'), 'HookSucceeded hooks stay when the operation fails');
  });

  it('without SyncFail hooks an apply failure fails the sync in the same tick', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    world.failures.set(`apply:${WEB}`, 'field is immutable');
    world.failures.set('apply:/ConfigMap/default/settings:Sync', 'quota exceeded');
    const { state, ticks } = await syncUntilDone(world, desired, settings());
    assert.equal(ticks.length, 1);
    assert.equal(state.message, 'one or more objects failed to apply, reason: ConfigMap/settings: quota exceeded; Deployment/web: field is immutable');
    assert.ok(world.log.includes('apply Deployment/web'), 'a failed run of one kind does not stop the next kind in the group');
    assert.equal(state.finishedAt, 1700000100);
  });

  it('a dry-run failure fails the sync before anything is applied, without SyncFail hooks', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    world.failures.set(`dry-run:${WEB}`, 'spec.replicas: Invalid value');
    const { state, ticks } = await syncUntilDone(world, desired, settings());
    assert.deepEqual(ticks.map((t) => t.message), ['one or more objects failed to apply (dry run), reason: Deployment/web: spec.replicas: Invalid value']);
    assert.equal(state.results[WEB].message, 'spec.replicas: Invalid value');
    assert.ok(!world.log.some((l) => l.startsWith('apply')));
    assert.equal(state.results[ROLLBACK], undefined);
  });

  it('an invalid task fails the operation before anything runs (§1.1 step 4)', async () => {
    const { desired } = loadScenario('generate-name-collision');
    const world = new World();
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.phase, 'Failed');
    assert.match(state.message, /^one or more synchronization tasks are not valid: Job hook has neither metadata.name nor metadata.generateName, two PreSync tasks/);
    assert.deepEqual(world.log, []);
  });

  it('the project check fails the operation and marks the forbidden task SyncFailed', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    const checkProject = (t: { key: { kind: string } }) => (t.key.kind === 'Service' ? 'resource :Service is not permitted in project team' : undefined);
    const { tick } = await import('../../shared/sync/tick.ts');
    const decision = tick({ desired, live: world.live(), settings: settings(), state: { phase: 'Running', message: '', startedAt: 1700000000, revision: 'abcdef0123456789', retryCount: 0, results: {} }, checkProject });
    assert.equal(decision.stages.length, 0);
    assert.equal(decision.settle.ok.message, 'one or more synchronization tasks are not valid: resource :Service is not permitted in project team');
    assert.equal(decision.state.results['/Service/default/api:Sync'].status, 'SyncFailed');
  });

  it('FailOnSharedResource=true fails at once with the shared resources named', async () => {
    const { desired, live } = loadScenario('shared-and-aliases');
    const world = new World(live);
    const { state } = await syncUntilDone(world, desired, settings({ syncOptions: ['FailOnSharedResource=true'] }));
    assert.equal(state.message, 'Shared resource found: /ConfigMap/default/shared is tracked by application other');
    assert.deepEqual(world.log, []);
  });

  it('a waited-on resource that vanished fails with "is missing"', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    world.setHealth('web', 'Progressing');
    const { state } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => { if (i === 2) w.objects.delete('apps/Deployment/default/web'); },
    });
    assert.equal(state.results[WEB].status, 'SyncFailed');
    assert.equal(state.results[WEB].hookPhase, 'Error');
    assert.equal(state.message, 'one or more synchronization tasks completed unsuccessfully, reason: Deployment/web: Resource apps/Deployment/web is missing, it might have been deleted');
  });

  it('a failed PreSync hook means nothing of the Sync phase is applied', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    world.setHealth('migrate', 'Degraded');
    const { state } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => { if (i >= 2) w.setHealth('rollback-abcdef0-syncfail-1700000000', 'Healthy'); },
    });
    assert.equal(state.phase, 'Failed');
    assert.equal(state.message, 'one or more synchronization tasks completed unsuccessfully, reason: Job/migrate: migrate is degraded');
    assert.ok(!world.log.includes('apply Deployment/web'));
    assert.equal(state.results[ROLLBACK].hookPhase, 'Succeeded');
  });
});
