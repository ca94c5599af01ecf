import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { Store } from '../../local/kube-sim/store.ts';
import { call, startTestSim, watch } from './helpers.ts';

const CM = '/api/v1/namespaces/kube-system/configmaps';

function cm(name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data: { v: '1' } };
}

describe('watch', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('starts with the current objects, then streams ADDED, MODIFIED and DELETED', async () => {
    await call(sim, 'POST', CM, cm('w-existing'));
    const stream = await watch(sim, `${CM}?watch=true`);
    await stream.waitFor(1);
    await call(sim, 'POST', CM, cm('w-new'));
    await call(sim, 'PATCH', `${CM}/w-new`, { data: { v: '2' } }, 'application/merge-patch+json');
    await call(sim, 'DELETE', `${CM}/w-new`);
    const events = await stream.waitFor(4);
    stream.close();
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w-existing'], ['ADDED', 'w-new'], ['MODIFIED', 'w-new'], ['DELETED', 'w-new']]);
    assert.equal(events[2].object.data.v, '2');
    assert.ok(Number(events[3].object.metadata.resourceVersion) > Number(events[2].object.metadata.resourceVersion));
  });

  it('replays what happened after a resourceVersion', async () => {
    const list = await call(sim, 'GET', CM);
    await call(sim, 'POST', CM, cm('w-later'));
    const stream = await watch(sim, `${CM}?watch=1&resourceVersion=${list.body.metadata.resourceVersion}`);
    const [first] = await stream.waitFor(1);
    stream.close();
    assert.deepEqual([first.type, first.object.metadata.name], ['ADDED', 'w-later']);
  });

  it('shows an object leaving the label selection as DELETED and entering it as ADDED', async () => {
    await call(sim, 'POST', CM, cm('w-sel', { watched: 'yes' }));
    const stream = await watch(sim, `${CM}?watch=true&labelSelector=watched%3Dyes`);
    await stream.waitFor(1);
    await call(sim, 'PATCH', `${CM}/w-sel`, { metadata: { labels: { watched: 'no' } } }, 'application/merge-patch+json');
    await call(sim, 'PATCH', `${CM}/w-sel`, { metadata: { labels: { watched: 'yes' } } }, 'application/merge-patch+json');
    const events = await stream.waitFor(3);
    stream.close();
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'DELETED', 'ADDED']);
  });

  it('watches one object by field selector, as kubectl wait does', async () => {
    await call(sim, 'POST', CM, cm('w-one'));
    await call(sim, 'POST', CM, cm('w-two'));
    const stream = await watch(sim, `${CM}?watch=true&fieldSelector=metadata.name%3Dw-two`);
    await call(sim, 'PATCH', `${CM}/w-one`, { data: { v: 'x' } }, 'application/merge-patch+json');
    await call(sim, 'PATCH', `${CM}/w-two`, { data: { v: 'y' } }, 'application/merge-patch+json');
    const events = await stream.waitFor(2);
    stream.close();
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w-two'], ['MODIFIED', 'w-two']]);
  });

  it('sends Tables when kubectl asks for them, headers only on the first event', async () => {
    const stream = await watch(sim, `${CM}?watch=true`, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    const [a, b] = await stream.waitFor(2);
    stream.close();
    assert.equal(a.object.kind, 'Table');
    assert.deepEqual(a.object.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    assert.deepEqual(b.object.columnDefinitions, []);
    assert.equal(b.object.rows[0].object.kind, 'PartialObjectMetadata');
  });
});

describe('store history', () => {
  it('answers a resourceVersion older than the kept history with undefined (the 410 Expired case)', () => {
    const store = new Store(3);
    for (let i = 0; i < 5; i++) store.put('/configmaps', { metadata: { name: `c${i}`, namespace: 'x' } });
    assert.equal(store.eventsSince(1), undefined);
    const recent = store.eventsSince(store.resourceVersion - 2);
    assert.deepEqual(recent?.map((e) => e.object.metadata.name), ['c3', 'c4']);
  });
});
