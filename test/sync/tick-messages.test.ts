// The operation message of a failed sync names every failed task with its own message (SPEC-sync §2.6:
// `one or more synchronization tasks completed unsuccessfully, reason: <msgs>`), whether it failed to
// apply, failed as a hook or went Degraded; it stays short and never carries a Secret's values.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../shared/model/object.ts';
import { MAX_OPERATION_MESSAGE } from '../../shared/sync/reasons.ts';
import { loadScenario, settings } from './helpers.ts';
import { World, syncUntilDone } from './world.ts';

const ROLLBACK = 'rollback-abcdef0-syncfail-1700000000';
const UNSUCCESSFUL = 'one or more synchronization tasks completed unsuccessfully';

function configMaps(count: number): KubeObject[] {
  return Array.from({ length: count }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` } }));
}

describe('tick: the message of a failed sync names the failed tasks', () => {
  it('a failed PreSync hook is named with its message; the SyncFail hook ran and succeeded', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    world.setHealth('migrate', 'Degraded');
    const { state } = await syncUntilDone(world, desired, settings(), {
      between: (i, w) => { if (i >= 2) w.setHealth(ROLLBACK, 'Healthy'); },
    });
    assert.equal(state.phase, 'Failed');
    assert.equal(state.message, `${UNSUCCESSFUL}, reason: Job/migrate: migrate is degraded`);
  });

  it('a failed SyncFail hook is named after the line that says so', async () => {
    const { desired } = loadScenario('tick-syncfail');
    const world = new World();
    world.setHealth('migrate', 'Degraded');
    world.setHealth(ROLLBACK, 'Degraded');
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.message, `${UNSUCCESSFUL}, reason: Job/migrate: migrate is degraded\n`
      + `one or more SyncFail hooks failed, reason: Job/${ROLLBACK}: ${ROLLBACK} is degraded`);
  });

  it('a Degraded resource the sync waited on is named', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    world.setHealth('web', 'Degraded');
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.message, `${UNSUCCESSFUL}, reason: Deployment/web: web is degraded`);
  });

  it('apply failures name their objects, in plan order', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    world.failures.set('apply:apps/Deployment/default/web:Sync', 'field is immutable');
    world.failures.set('apply:/ConfigMap/default/settings:Sync', 'quota exceeded');
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.message, 'one or more objects failed to apply, reason: ConfigMap/settings: quota exceeded; Deployment/web: field is immutable');
  });

  it('a dry-run failure names the object', async () => {
    const { desired } = loadScenario('tick-waves');
    const world = new World();
    world.failures.set('dry-run:apps/Deployment/default/web:Sync', 'spec.replicas: Invalid value');
    const { state } = await syncUntilDone(world, desired, settings());
    assert.equal(state.message, 'one or more objects failed to apply (dry run), reason: Deployment/web: spec.replicas: Invalid value');
  });

  it('many failures: the first five are named, then how many more; the message stays short', async () => {
    const world = new World();
    for (let i = 0; i < 8; i++) world.failures.set(`apply:/ConfigMap/default/cm-${i}:Sync`, `denied ${'x'.repeat(400)}`);
    const { state } = await syncUntilDone(world, configMaps(8), settings());
    assert.ok(state.message.startsWith('one or more objects failed to apply, reason: ConfigMap/cm-0: denied xxx'), state.message);
    assert.ok(state.message.endsWith('and 3 more'), state.message.slice(-80));
    assert.equal((state.message.match(/ConfigMap\/cm-/g) ?? []).length, 5);
    assert.ok(state.message.length <= MAX_OPERATION_MESSAGE, `${state.message.length} characters`);
    assert.ok(state.results['/ConfigMap/default/cm-7:Sync'].message.startsWith('denied xxx'), 'results keep their own message');
  });

  it('a server message that echoes a Secret value is masked, in the result and in the operation message', async () => {
    const secret: KubeObject = {
      apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' },
      data: { password: btoa('hunter2-very-secret') }, stringData: { token: 'tok-123456' },
    } as KubeObject;
    const world = new World();
    world.failures.set('apply:/Secret/default/db:Sync', 'Secret "db" is invalid: data[password]: Invalid value: "hunter2-very-secret", token "tok-123456"');
    const { state } = await syncUntilDone(world, [secret], settings());
    assert.ok(!/hunter2|tok-123456/.test(state.message), state.message);
    assert.ok(!/hunter2|tok-123456/.test(state.results['/Secret/default/db:Sync'].message));
    assert.match(state.message, /reason: Secret\/db: Secret "db" is invalid: data\[password\]: Invalid value: "<redacted>"/);
  });
});
