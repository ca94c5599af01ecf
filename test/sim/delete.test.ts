import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { call, deployment, eventually, startTestSim } from './helpers.ts';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

async function podsOf(sim: RunningSimulator, app: string, namespace = 'default'): Promise<any[]> {
  return (await call(sim, 'GET', `/api/v1/namespaces/${namespace}/pods?labelSelector=app%3D${app}`)).body.items;
}

async function gone(sim: RunningSimulator, path: string): Promise<true | undefined> {
  return (await call(sim, 'GET', path)).status === 404 ? true : undefined;
}

describe('deletion', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('keeps an object with finalizers (deletionTimestamp set, 202) until the last finalizer is removed', async () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } };
    await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', cm);
    const del = await call(sim, 'DELETE', '/api/v1/namespaces/default/configmaps/held');
    assert.equal(del.status, 202);
    assert.ok(del.body.metadata.deletionTimestamp);
    const added = await call(sim, 'PATCH', '/api/v1/namespaces/default/configmaps/held', { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }, 'application/merge-patch+json');
    assert.equal(added.status, 422, 'no new finalizers on an object being deleted');
    const released = await call(sim, 'PATCH', '/api/v1/namespaces/default/configmaps/held', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(released.status, 200);
    assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps/held')).status, 404);
  });

  it('background deletion removes the Deployment at once and its ReplicaSets and Pods after', async () => {
    await call(sim, 'POST', DEPLOY, deployment('bg'));
    await eventually(async () => ((await podsOf(sim, 'bg')).length === 2 ? true : undefined));
    const del = await call(sim, 'DELETE', `${DEPLOY}/bg`);
    assert.equal(del.status, 200);
    assert.equal(del.body.status, 'Success');
    await eventually(async () => ((await podsOf(sim, 'bg')).length === 0 ? true : undefined));
    const rs = await call(sim, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dbg');
    assert.equal(rs.body.items.length, 0);
  });

  it('foreground deletion keeps the owner (foregroundDeletion finalizer) until its dependents are gone', async () => {
    await call(sim, 'POST', DEPLOY, deployment('fg'));
    await eventually(async () => ((await podsOf(sim, 'fg')).length === 2 ? true : undefined));
    const del = await call(sim, 'DELETE', `${DEPLOY}/fg?propagationPolicy=Foreground`);
    assert.equal(del.status, 202);
    assert.deepEqual(del.body.metadata.finalizers, ['foregroundDeletion']);
    await eventually(() => gone(sim, `${DEPLOY}/fg`));
    assert.equal((await podsOf(sim, 'fg')).length, 0);
  });

  it('orphan deletion leaves the dependents without the owner reference', async () => {
    await call(sim, 'POST', DEPLOY, deployment('orph'));
    await eventually(async () => ((await podsOf(sim, 'orph')).length === 2 ? true : undefined));
    await call(sim, 'DELETE', `${DEPLOY}/orph`, { propagationPolicy: 'Orphan' });
    await eventually(() => gone(sim, `${DEPLOY}/orph`));
    const rs = await call(sim, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dorph');
    assert.equal(rs.body.items.length, 1);
    assert.equal(rs.body.items[0].metadata.ownerReferences, undefined);
  });

  it('honours delete preconditions', async () => {
    await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } });
    const res = await call(sim, 'DELETE', '/api/v1/namespaces/default/configmaps/pre', { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } });
    assert.equal(res.status, 409);
  });

  it('deleting a namespace refuses new content, deletes what it holds, then goes', async () => {
    await call(sim, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
    const ns = await call(sim, 'GET', '/api/v1/namespaces/doomed');
    assert.equal(ns.body.status.phase, 'Active');
    await call(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stuck', finalizers: ['example.com/hold'] } });
    const del = await call(sim, 'DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.body.status.phase, 'Terminating');
    const refused = await call(sim, 'POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /being terminated/);
    const waiting = await eventually(async () => {
      const body = (await call(sim, 'GET', '/api/v1/namespaces/doomed')).body;
      return body.status?.conditions?.some((c: any) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True') ? body : undefined;
    });
    assert.ok(waiting.metadata.deletionTimestamp);
    await call(sim, 'PATCH', '/api/v1/namespaces/doomed/configmaps/stuck', { metadata: { finalizers: null } }, 'application/merge-patch+json');
    await eventually(() => gone(sim, '/api/v1/namespaces/doomed'));
  });
});
