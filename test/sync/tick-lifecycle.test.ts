// The tick's deletes and special operations: BeforeHookCreation, prunes in reverse order waiting on
// finalizers, Prune=confirm, disabled prune, CreateNamespace, operation dry run, ApplyOutOfSyncOnly
// and terminate (SPEC-sync §1.6, §1.8, §2.3, §3).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completeTick } from '../../shared/sync/complete.ts';
import { runStages } from '../../shared/sync/run.ts';
import { requestTermination } from '../../shared/sync/terminate.ts';
import { tick } from '../../shared/sync/tick.ts';
import { loadScenario, settings } from './helpers.ts';
import { World, syncUntilDone } from './world.ts';

describe('tick: deletes', () => {
  it('a live named hook loses its stale finalizer, is deleted, waited for, then created again (§2.3, #6880)', async () => {
    const { desired, live } = loadScenario('tick-recreate');
    const world = new World(live);
    const { state, ticks } = await syncUntilDone(world, desired, settings());
    assert.equal(ticks[0].message, 'waiting for deletion of hook batch/Job/maint-page-up');
    // No result was recorded on the first tick, so the second one is still a "first tick" and dry-runs
    // again, this time the hook too: it is never dry-run against the copy about to be deleted.
    assert.deepEqual(world.log, [
      'dry-run ConfigMap/settings', 'finalizer Job/maint-page-up', 'before-hook-creation Job/maint-page-up',
      'dry-run Job/maint-page-up', 'dry-run ConfigMap/settings', 'apply Job/maint-page-up', 'finalizer Job/maint-page-up', 'apply ConfigMap/settings',
    ]);
    assert.equal(state.phase, 'Succeeded');
  });

  it('prunes run in reverse wave order and wait while a pruned object is being deleted (#12376)', async () => {
    const { desired, live } = loadScenario('tick-prune');
    const world = new World(live);
    const { state, ticks } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => { if (i === 2) w.finishDeletion('old-web'); },
    });
    assert.deepEqual(world.log.filter((l) => l.startsWith('prune')), ['prune Deployment/old-web', 'prune ConfigMap/old-config']);
    assert.equal(ticks[1].message, 'waiting for deletion of apps/Deployment/old-web');
    assert.equal(state.results['apps/Deployment/default/old-web:Sync'].status, 'Pruned');
    assert.equal(state.phase, 'Succeeded');
    assert.ok(!world.has('ConfigMap', 'old-config'));
  });

  it('a disabled prune records PruneSkipped "ignored (requires pruning)" and deletes nothing', async () => {
    const { desired, live } = loadScenario('tick-prune');
    const world = new World(live);
    const { state } = await syncUntilDone(world, desired, settings({ prune: false }));
    assert.equal(state.results['/ConfigMap/default/old-config:Sync'].status, 'PruneSkipped');
    assert.equal(state.results['/ConfigMap/default/old-config:Sync'].message, 'ignored (requires pruning)');
    assert.ok(!world.log.some((l) => l.startsWith('prune')));
  });

  it('Prune=confirm holds the whole group until deletion-approved is at or after the start', async () => {
    const { desired, live } = loadScenario('tick-confirm');
    const world = new World(live);
    const waiting = await syncUntilDone(world, desired, settings(), { maxTicks: 2 });
    assert.equal(waiting.state.message, 'waiting for pruning confirmation of /Secret/precious');
    assert.deepEqual(world.log.filter((l) => !l.startsWith('dry-run')), [], 'nothing in the group runs');
    const approved = await syncUntilDone(world, desired, settings({ deletionApprovedAt: '2023-11-14T22:13:20Z' }));
    assert.equal(approved.state.phase, 'Succeeded');
    assert.ok(!world.has('Secret', 'precious'));
  });
});

describe('tick: options', () => {
  it('CreateNamespace makes the namespace before the dry run, then waits for it like any PreSync task', async () => {
    const { desired } = loadScenario('create-namespace');
    const world = new World();
    const { state } = await syncUntilDone(world, desired, settings({ destinationNamespace: 'shop', syncOptions: ['CreateNamespace=true'] }));
    assert.equal(world.log[0], 'create-namespace Namespace/shop');
    assert.ok(world.log[1].startsWith('dry-run'));
    assert.equal(state.phase, 'Succeeded');
    assert.equal(world.get('Namespace', 'shop')?.metadata.annotations, undefined, 'the namespace is untracked');
  });

  it('a namespace that fails to be made fails the sync without SyncFail hooks', async () => {
    const { desired } = loadScenario('create-namespace');
    const world = new World();
    world.failures.set('create-namespace:/Namespace//shop:PreSync', 'namespaces is forbidden');
    const { state } = await syncUntilDone(world, desired, settings({ destinationNamespace: 'shop', syncOptions: ['CreateNamespace=true'] }));
    assert.equal(state.message, 'the namespace failed to apply, reason: Namespace/shop: namespaces is forbidden');
    assert.ok(!world.log.some((l) => l.startsWith('dry-run')));
  });

  it('an operation dry run changes nothing and succeeds', async () => {
    const { desired, live } = loadScenario('tick-prune');
    const world = new World(live);
    const { state } = await syncUntilDone(world, desired, settings({ dryRun: true }));
    assert.equal(state.phase, 'Succeeded');
    assert.equal(state.results['/ConfigMap/default/old-config:Sync'].message, 'pruned (dry run)');
    assert.ok(world.has('ConfigMap', 'old-config') && !world.has('ConfigMap', 'kept'));
  });

  it('ApplyOutOfSyncOnly applies only modified resources and still runs hooks', async () => {
    const { desired } = loadScenario('tick-hook-and-deployment');
    const world = new World([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } }]);
    const { state } = await syncUntilDone(world, desired, settings({ syncOptions: ['ApplyOutOfSyncOnly=true'] }));
    assert.equal(state.phase, 'Succeeded');
    assert.ok(world.log.includes('apply Job/smoke-test'));
    const input = { desired, live: world.live(), settings: settings({ syncOptions: ['ApplyOutOfSyncOnly=true'] }), isModified: () => false };
    const decision = tick({ ...input, state: { phase: 'Running', message: '', startedAt: 1, revision: 'r', retryCount: 0, results: {} } });
    const applied = decision.stages.flatMap((s) => s.batches.flat()).map((a) => a.id);
    assert.ok(!applied.some((id) => id.includes('Deployment')), applied.join('\n'));
  });
});

describe('tick: terminate (§1.8)', () => {
  it('deletes running hooks, fails the rest with "Terminated", and ends "Operation terminated"', async () => {
    const { desired } = loadScenario('tick-hook-and-deployment');
    const world = new World();
    world.setHealth('web', 'Progressing');
    world.setHealth('smoke-test', 'Progressing');
    const running = await syncUntilDone(world, desired, settings(), { maxTicks: 1 });
    const state = requestTermination(running.state);
    assert.equal(state.phase, 'Terminating');
    const decision = tick({ desired, live: world.live(), settings: settings(), state });
    const outcomes = await runStages(decision.stages, (a) => world.perform(a));
    const done = completeTick(decision, outcomes, 1700000500);
    assert.deepEqual(done.next, { kind: 'done', phase: 'Failed' });
    assert.equal(done.state.message, 'Operation terminated');
    assert.equal(done.state.results['batch/Job/default/smoke-test:Sync'].message, 'Deleted');
    assert.equal(done.state.results['apps/Deployment/default/web:Sync'].message, 'Terminated');
    assert.ok(!world.has('Job', 'smoke-test'));
  });

  it('ends in Error when a delete fails', async () => {
    const { desired } = loadScenario('tick-hook-and-deployment');
    const world = new World();
    world.setHealth('smoke-test', 'Progressing');
    const running = await syncUntilDone(world, desired, settings(), { maxTicks: 1 });
    world.failures.set('terminate:batch/Job/default/smoke-test:Sync', 'connection refused');
    const state = requestTermination(running.state);
    const decision = tick({ desired, live: world.live(), settings: settings(), state });
    const done = completeTick(decision, await runStages(decision.stages, (a) => world.perform(a)), 1);
    assert.equal(done.state.phase, 'Error');
    assert.equal(done.state.message, 'Operation termination had errors');
    assert.equal(requestTermination(done.state), done.state, 'only a running operation can be terminated');
  });
});

describe('tick: ended operations and failed hooks on terminate', () => {
  it('a tick of an ended operation does nothing', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    const ended = await syncUntilDone(world, desired, settings());
    const decision = tick({ desired, live: world.live(), settings: settings(), state: ended.state });
    assert.deepEqual(decision.stages, []);
    assert.deepEqual(completeTick(decision, {}, 1).state, ended.state);
  });

  it('terminate deletes a failed hook that carries HookFailed, after stripping its finalizer', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    world.setHealth('migrate', 'Progressing');
    const running = await syncUntilDone(world, desired, settings(), { maxTicks: 2 });
    world.setHealth('migrate', 'Degraded');
    const decision = tick({ desired, live: world.live(), settings: settings(), state: requestTermination(running.state) });
    assert.deepEqual(decision.stages.map((s) => [s.name, s.batches.flat().map((a) => a.id)]), [
      ['finalizers', ['finalizer:batch/Job/default/migrate:PreSync']],
      ['terminate', ['hook-cleanup:batch/Job/default/migrate:PreSync']],
    ]);
    const done = completeTick(decision, await runStages(decision.stages, (a) => world.perform(a)), 2);
    assert.equal(done.state.results['batch/Job/default/migrate:PreSync'].hookPhase, 'Failed');
    assert.ok(!world.has('Job', 'migrate'));
  });
});
