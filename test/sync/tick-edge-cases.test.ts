// Edge cases from Argo CD issues (SPEC-sync §8) that concern the tick.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, settings } from './helpers.ts';
import { World, syncUntilDone } from './world.ts';

describe('tick: §8 edge cases', () => {
  it('#27507 a re-created hook beside a failing resource fails the sync instead of waiting forever', async () => {
    const { desired, live } = loadScenario('tick-recreate-failure');
    const world = new World(live);
    world.failures.set('apply:/ConfigMap/default/broken:Sync', 'configmaps "broken" is forbidden');
    const { state, ticks } = await syncUntilDone(world, desired, settings());
    assert.equal(ticks[0].message, 'waiting for deletion of hook batch/Job/seed');
    assert.equal(state.phase, 'Failed');
    assert.equal(state.message, 'one or more objects failed to apply, reason: ConfigMap/broken: configmaps "broken" is forbidden');
  });

  it('#4577 #14442 kinds without a health check (child Application, CR) do not hold back the next wave', async () => {
    const { desired } = loadScenario('tick-app-of-apps');
    const world = new World();
    world.setHealth('child', null);
    world.setHealth('queue', null);
    const { ticks } = await syncUntilDone(world, desired, settings());
    assert.ok(world.log.indexOf('apply Service/api') > 0);
    assert.equal(ticks.filter((t) => t.message.startsWith('waiting for healthy state of argoproj.io')).length, 0);
  });

  it('#4577 with an Application health check re-added, a Progressing child holds the wave', async () => {
    const { desired } = loadScenario('tick-app-of-apps');
    const world = new World();
    world.setHealth('child', 'Progressing');
    world.setHealth('queue', null);
    const { state } = await syncUntilDone(world, desired, settings(), { maxTicks: 3 });
    assert.equal(state.message, 'waiting for healthy state of argoproj.io/Application/child');
    assert.ok(!world.has('Service', 'api'));
  });

  it('#9861 a failed PostSync hook fails the operation', async () => {
    const { desired } = loadScenario('tick-app-of-apps');
    const world = new World();
    world.setHealth('child', null);
    world.setHealth('queue', null);
    world.setHealth('verify', 'Degraded');
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.phase, 'Failed');
    assert.equal(state.results['batch/Job/default/verify:PostSync'].hookPhase, 'Failed');
    assert.equal(state.results['batch/Job/default/verify:PostSync'].message, 'verify is degraded');
  });
});
