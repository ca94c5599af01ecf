// Operation-level dry runs (`dryRun: true`) against a world that, like an API server, refuses objects
// in a namespace that does not exist: a namespace the operation would create is only dry-run created,
// so what goes in it is reported "would be created" instead of being sent to the server (SPEC-sync §1.6
// step 4: dry runs skip skipDryRun tasks; §3 CreateNamespace).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadScenario, settings } from './helpers.ts';
import { World, syncUntilDone } from './world.ts';

const CREATE_SHOP = { destinationNamespace: 'shop', syncOptions: ['CreateNamespace=true'] };

function strictWorld(): World {
  const world = new World();
  world.requireNamespaces = true;
  return world;
}

describe('tick: operation dry run into a namespace it would create', () => {
  it('CreateNamespace=true with the namespace absent succeeds, writes nothing, and says what would be created', async () => {
    const { desired } = loadScenario('create-namespace');
    const world = strictWorld();
    const { state } = await syncUntilDone(world, desired, settings({ ...CREATE_SHOP, dryRun: true }));
    assert.equal(state.phase, 'Succeeded', state.message);
    assert.deepEqual([...world.objects.keys()], [], 'a dry run changes nothing');
    const early = state.results['/ConfigMap/shop/early:Sync'];
    assert.deepEqual([early.status, early.hookPhase, early.message], ['Synced', 'Succeeded', 'would be created (dry run: namespace shop does not exist yet)']);
    assert.equal(state.results['batch/Job/shop/pre:PreSync'].hookPhase, 'Succeeded');
    assert.equal(state.results['/Namespace//shop:PreSync'].hookPhase, 'Succeeded');
    assert.ok(!world.log.some((l) => l.endsWith('ConfigMap/early') || l.endsWith('Job/pre')), world.log.join('\n'));
    assert.ok(world.log.includes('dry-run ClusterRole/reader'), 'objects outside the new namespace are still dry-run on the server');
  });

  it('a real sync of the same manifests makes the namespace first, so everything is dry-run and applied', async () => {
    const { desired } = loadScenario('create-namespace');
    const world = strictWorld();
    const { state } = await syncUntilDone(world, desired, settings(CREATE_SHOP));
    assert.equal(state.phase, 'Succeeded', state.message);
    assert.ok(world.log.includes('dry-run ConfigMap/early') && world.has('ConfigMap', 'early'));
  });

  it('a Namespace manifest absent live: objects in it are not sent to the server in a dry run', async () => {
    const { desired } = loadScenario('namespace-fixup');
    const world = strictWorld();
    world.objects.set('/Namespace//default', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    const { state } = await syncUntilDone(world, desired, settings({ dryRun: true }));
    assert.equal(state.phase, 'Succeeded', state.message);
    assert.equal(state.results['/ConfigMap/team/settings:Sync'].message, 'would be created (dry run: namespace team does not exist yet)');
    assert.ok(!world.has('Namespace', 'team'));
  });

  it('a custom resource whose CRD comes in the same sync is not sent to the server in a dry run', async () => {
    const { desired } = loadScenario('crd-fixup');
    const world = new World();
    const { state } = await syncUntilDone(world, desired, settings({ dryRun: true }), {});
    assert.equal(state.phase, 'Succeeded', state.message);
    assert.ok(!world.log.some((l) => l.endsWith('Widget/first')), world.log.join('\n'));
    assert.equal(state.results['example.com/Widget/default/first:Sync'].message, 'would be created (dry run: its kind is not served yet)');
  });
});
