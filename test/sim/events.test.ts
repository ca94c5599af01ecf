// Events the simulated controllers record: one store, two APIs (core v1 and events.k8s.io/v1), field
// selectors as `kubectl describe` uses them, and the per-namespace bound.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { eventAs } from '../../local/kube-sim/event-forms.ts';
import { apply, call, deployment, eventually, startTestSim } from './helpers.ts';

const CORE = '/api/v1/namespaces/default/events';
const NEW_API = '/apis/events.k8s.io/v1/namespaces/default/events';

async function reasons(sim: RunningSimulator, query: string): Promise<string[]> {
  return (await call(sim, 'GET', `${CORE}?${query}`)).body.items.map((e: any) => e.reason);
}

describe('controller Events', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim({ eventsPerNamespace: 12 });
  });
  after(() => sim.stop());

  it('records a Deployment\'s scaling, its ReplicaSet\'s pods and their start, readable by field selector', async () => {
    await apply(sim, '/apis/apps/v1/namespaces/default/deployments/ev', deployment('ev', 1), 'gitwave');
    const pod = await eventually(async () => (await call(sim, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dev')).body.items.find((p: any) => p.status?.phase === 'Running'));
    const podEvents = await eventually(async () => {
      const got = await reasons(sim, `fieldSelector=involvedObject.name%3D${pod.metadata.name}`);
      return got.includes('Started') ? got : undefined;
    });
    assert.deepEqual(podEvents, ['Scheduled', 'Pulled', 'Created', 'Started'], 'in time order');
    assert.deepEqual(await reasons(sim, 'fieldSelector=involvedObject.kind%3DDeployment,involvedObject.name%3Dev'), ['ScalingReplicaSet']);
    const rs = pod.metadata.ownerReferences[0].name;
    const created = (await call(sim, 'GET', `${CORE}?fieldSelector=involvedObject.name%3D${rs}`)).body.items[0];
    assert.equal(created.reason, 'SuccessfulCreate');
    assert.equal(created.message, `Created pod: ${pod.metadata.name}`);
    assert.equal(created.source.component, 'replicaset-controller');
    assert.equal(created.involvedObject.uid, pod.metadata.ownerReferences[0].uid);
  });

  it('serves the same Events through events.k8s.io/v1, in that API\'s form', async () => {
    const core = (await call(sim, 'GET', CORE)).body.items;
    const other = (await call(sim, 'GET', NEW_API)).body.items;
    assert.equal(other.length, core.length);
    const one = other.find((e: any) => e.reason === 'ScalingReplicaSet');
    assert.equal(one.apiVersion, 'events.k8s.io/v1');
    assert.match(one.note, /^Scaled up replica set ev-\w+ from 0 to 1$/);
    assert.equal(one.regarding.kind, 'Deployment');
    assert.equal(one.reportingController, 'deployment-controller');
    assert.equal(one.deprecatedCount, 1);
    assert.equal(one.message, undefined);
    const single = await call(sim, 'GET', `${NEW_API}/${one.metadata.name}`);
    assert.deepEqual(single.body, one);
  });

  it('converts between the two forms both ways', () => {
    const core = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e' }, involvedObject: { kind: 'Pod', name: 'p' }, message: 'm', reason: 'r', count: 2, source: { component: 'c' } };
    const other = eventAs(core, 'events.k8s.io/v1');
    assert.deepEqual(other, { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e' }, regarding: { kind: 'Pod', name: 'p' }, note: 'm', reason: 'r', deprecatedCount: 2, deprecatedSource: { component: 'c' } });
    assert.deepEqual(eventAs(other, 'v1'), core);
  });

  it('keeps only the newest Events of a namespace', async () => {
    await apply(sim, '/apis/apps/v1/namespaces/default/deployments/many', deployment('many', 4), 'gitwave');
    await eventually(async () => ((await call(sim, 'GET', '/apis/apps/v1/namespaces/default/deployments/many')).body.status?.readyReplicas === 4 ? true : undefined));
    const events = await eventually(async () => {
      const items = (await call(sim, 'GET', CORE)).body.items;
      return items.some((e: any) => e.involvedObject.name.startsWith('many-') && e.reason === 'Started') ? items : undefined;
    });
    assert.equal(events.length, 12, 'bounded by eventsPerNamespace');
    assert.ok(!events.some((e: any) => e.involvedObject.name === 'ev'), 'the oldest (the first Deployment\'s) went first');
  });
});
