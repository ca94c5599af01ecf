// The tick (SPEC-sync §1.7) driven over an in-memory cluster: waves gate on health, the final wave
// does not, hooks block completion, timing of the next tick, resumability.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completeTick } from '../../shared/sync/complete.ts';
import { runStages } from '../../shared/sync/run.ts';
import { startOperation } from '../../shared/sync/state.ts';
import { tick } from '../../shared/sync/tick.ts';
import { loadScenario, settings } from './helpers.ts';
import { World, syncUntilDone } from './world.ts';

describe('tick: waves and health', () => {
  it('one wave without hooks succeeds on the first tick, after a dry run of every task (#1715)', async () => {
    const { desired } = loadScenario('order-kinds-waves');
    const single = desired.filter((o) => !o.metadata.annotations);
    const world = new World();
    const { state, ticks } = await syncUntilDone(world, single, settings());
    assert.deepEqual(ticks.map((t) => t.message), ['successfully synced (all tasks run)']);
    assert.equal(state.phase, 'Succeeded');
    assert.equal(world.log.filter((l) => l.startsWith('dry-run')).length, single.length);
    assert.equal(world.log.filter((l) => l.startsWith('apply')).length, single.length);
  });

  it('wave N+1 starts only when wave N is healthy; kinds without a check pass at once; the final wave does not wait', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    const { state, ticks } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => {
        if (i === 0) w.setHealth('web', 'Progressing');
        if (i === 3) w.setHealth('web', 'Healthy');
        if (i >= 3) w.setHealth('api', 'Degraded');
      },
    });
    assert.deepEqual(ticks.map((t) => t.message), [
      'waiting for healthy state of /Service/api',
      'waiting for healthy state of apps/Deployment/web',
      'waiting for healthy state of apps/Deployment/web',
      'successfully synced (all tasks run)',
    ]);
    assert.equal(state.phase, 'Succeeded', 'the final wave is not health-gated, even Degraded afterwards');
    assert.deepEqual(world.log.filter((l) => l.startsWith('apply')), ['apply ConfigMap/settings', 'apply Deployment/web', 'apply Service/api']);
  });

  it('waits the wave delay after a non-final wave, polls while waiting on health', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    const { ticks } = await syncUntilDone(world, desired, settings(), { between: (i, w) => w.setHealth('web', i < 1 ? 'Progressing' : 'Healthy') });
    assert.deepEqual(ticks.map((t) => t.next), [{ kind: 'wait', seconds: 2 }, { kind: 'done', phase: 'Succeeded' }]);
    const slow = await syncUntilDone(new World(), desired, settings(), { between: (i, w) => w.setHealth('web', i < 2 ? 'Progressing' : 'Healthy') });
    assert.deepEqual(slow.ticks[1].next, { kind: 'wait', seconds: 5 });
  });

  it('a paused Deployment (Suspended) blocks the next wave; Progressing blocks forever', async () => {
    const { desired } = loadScenario('tick-waves');
    for (const status of ['Suspended', 'Progressing'] as const) {
      const world = new World();
      world.setHealth('web', status);
      const { state, ticks } = await syncUntilDone(world, desired, settings(), { maxTicks: 6 });
      assert.equal(state.phase, 'Running');
      assert.equal(ticks.at(-1)?.message, 'waiting for healthy state of apps/Deployment/web');
      assert.ok(!world.has('Service', 'api'));
    }
  });

  it('a Degraded resource in a non-final wave fails the sync and nothing later is applied', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    world.setHealth('web', 'Degraded');
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.phase, 'Failed');
    assert.equal(state.message, 'one or more synchronization tasks completed unsuccessfully, reason: Deployment/web: web is degraded');
    assert.equal(state.results['apps/Deployment/default/web:Sync'].hookPhase, 'Failed');
    assert.ok(!world.has('Service', 'api'), 'wave 1 is never applied after a failure');
  });
});

describe('tick: hooks', () => {
  it('a Sync hook blocks completion, a Deployment in the same wave does not (#2216)', async () => {
    const { desired } = loadScenario('tick-hook-and-deployment');
    const world = new World();
    world.setHealth('web', 'Progressing');
    const { state, ticks } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => w.setHealth('smoke-test', i < 2 ? 'Progressing' : 'Healthy'),
    });
    assert.deepEqual(ticks.map((t) => t.message), [
      'waiting for completion of hook batch/Job/smoke-test',
      'waiting for completion of hook batch/Job/smoke-test',
      'successfully synced (no more tasks)',
    ]);
    assert.equal(state.results['batch/Job/default/smoke-test:Sync'].hookType, 'Sync');
    assert.equal(state.results['apps/Deployment/default/web:Sync'].hookPhase, 'Running');
  });

  it('a SyncFail hook makes the sync multi-step: resources of the final group are then health-gated (ge#715)', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    const { ticks } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => w.setHealth('web', i < 4 ? 'Progressing' : 'Healthy'),
    });
    assert.ok(ticks.some((t) => t.message === 'waiting for healthy state of apps/Deployment/web'), ticks.map((t) => t.message).join('\n'));
    assert.equal(ticks.at(-1)?.message, 'successfully synced (no more tasks)');
  });

  it('PostSync starts only after every Sync group is complete; HookSucceeded hooks go at the very end (#4384)', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    let saAtPostSync: boolean | undefined;
    await syncUntilDone(world, desired, settings(), {
      between: (i, w) => {
        w.setHealth('web', i < 3 ? 'Progressing' : 'Healthy');
        if (w.has('Job', 'notify') && saAtPostSync === undefined) saAtPostSync = w.has('ServiceAccount', 'migrate-sa');
      },
    });
    const applies = world.log.filter((l) => l.startsWith('apply'));
    assert.deepEqual(applies, ['apply ServiceAccount/migrate-sa', 'apply Job/migrate', 'apply Deployment/web', 'apply Job/notify']);
    assert.equal(saAtPostSync, true, 'the HookSucceeded ServiceAccount still exists while later hooks run');
    assert.ok(!world.has('ServiceAccount', 'migrate-sa') && !world.has('Job', 'migrate'));
    assert.ok(world.has('Job', 'notify'), 'a hook with the default policy stays');
  });

  it('generateName hooks keep their name across ticks and carry the hook finalizer until complete (#18884)', async () => {
    const { desired } = loadScenario('hooks-interleaved');
    const world = new World();
    let seen: string[] | undefined;
    await syncUntilDone(world, desired, settings({ startedAt: 1650650648 }), {
      between: (i, w) => {
        const name = 'migrate-abcdef0-presync-1650650648';
        w.setHealth(name, i < 2 ? 'Progressing' : 'Healthy');
        if (i === 1) seen = w.get('Job', name)?.metadata.finalizers;
      },
    });
    assert.deepEqual(seen, ['argocd.argoproj.io/hook-finalizer']);
    assert.deepEqual(world.get('Job', 'migrate-abcdef0-presync-1650650648')?.metadata.finalizers, []);
    assert.equal(world.log.filter((l) => l === 'apply Job/migrate-abcdef0-presync-1650650648').length, 1);
  });
});

describe('tick: resumable', () => {
  it('re-running a tick from the persisted state gives the same decision', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    const input = { desired, live: world.live(), settings: settings(), state: startOperation('abcdef0123456789', 1700000000) };
    const first = tick(input);
    assert.deepEqual(tick(input), first, 'a crashed tick is simply run again');
    assert.deepEqual(input.state.results, {}, 'tick does not change the state it is given');
    const outcomes = await runStages(first.stages, (a) => world.perform(a));
    const { state } = completeTick(first, outcomes, 1700000001);
    const again = tick({ ...input, live: world.live(), state });
    assert.ok(!again.stages.some((s) => s.name === 'dry-run'), 'the dry run happens on the first tick only');
  });
});
