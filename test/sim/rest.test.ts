import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { call, deployment, startTestSim } from './helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function configMap(name: string, data: Record<string, string> = { a: '1' }, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data };
}

describe('REST verbs', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('creates with server metadata, refuses a duplicate, and reads back what it stored', async () => {
    const created = await call(sim, 'POST', CM, configMap('one'));
    assert.equal(created.status, 201);
    assert.match(created.body.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(created.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(created.body.metadata.namespace, 'default');
    const again = await call(sim, 'POST', CM, configMap('one'));
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, 'AlreadyExists');
    assert.equal(again.body.message, 'configmaps "one" already exists');
    const got = await call(sim, 'GET', `${CM}/one`);
    assert.deepEqual(got.body.data, { a: '1' });
    assert.equal(got.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
  });

  it('answers 404 NotFound for a missing object and for a namespace that does not exist', async () => {
    const missing = await call(sim, 'GET', `${CM}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.kind, 'Status');
    assert.deepEqual(missing.body.details, { name: 'nope', group: '', kind: 'configmaps' });
    const noNs = await call(sim, 'POST', '/api/v1/namespaces/ghost/configmaps', configMap('x'));
    assert.equal(noNs.status, 404);
    assert.equal(noNs.body.message, 'namespaces "ghost" not found');
  });

  it('names objects from generateName and rejects invalid names with 422', async () => {
    const generated = await call(sim, 'POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'hook-' } });
    assert.equal(generated.status, 201);
    assert.match(generated.body.metadata.name, /^hook-[a-z0-9]{5}$/);
    const bad = await call(sim, 'POST', CM, configMap('Not_Valid'));
    assert.equal(bad.status, 422);
    assert.equal(bad.body.details.causes[0].field, 'metadata.name');
  });

  it('uses one cluster-wide resourceVersion counter and bumps generation only on spec changes', async () => {
    const a = await call(sim, 'POST', DEPLOY, deployment('gen'));
    const b = await call(sim, 'POST', CM, configMap('gen'));
    assert.ok(Number(b.body.metadata.resourceVersion) > Number(a.body.metadata.resourceVersion));
    assert.equal(a.body.metadata.generation, 1);
    const labelled = await call(sim, 'PATCH', `${DEPLOY}/gen`, { metadata: { labels: { extra: 'x' } } }, 'application/merge-patch+json');
    assert.equal(labelled.body.metadata.generation, 1);
    const scaled = await call(sim, 'PATCH', `${DEPLOY}/gen`, { spec: { replicas: 4 } }, 'application/merge-patch+json');
    assert.equal(scaled.body.metadata.generation, 2);
  });

  it('refuses an update with a stale resourceVersion (409) and accepts the current one', async () => {
    const created = await call(sim, 'POST', CM, configMap('rv'));
    const fresh = { ...created.body, data: { a: '2' } };
    const ok = await call(sim, 'PUT', `${CM}/rv`, fresh);
    assert.equal(ok.status, 200);
    const stale = await call(sim, 'PUT', `${CM}/rv`, { ...created.body, data: { a: '3' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.match(stale.body.message, /the object has been modified/);
  });

  it('keeps status and spec apart: the main resource ignores status, /status ignores spec', async () => {
    await call(sim, 'POST', DEPLOY, deployment('split'));
    const viaMain = await call(sim, 'PATCH', `${DEPLOY}/split`, { status: { replicas: 9 } }, 'application/merge-patch+json');
    assert.equal(viaMain.body.status?.replicas === 9, false);
    const viaStatus = await call(sim, 'PATCH', `${DEPLOY}/split/status`, { spec: { replicas: 7 }, status: { replicas: 9 } }, 'application/merge-patch+json');
    assert.equal(viaStatus.body.status.replicas, 9);
    assert.equal(viaStatus.body.spec.replicas, 2);
  });

  it('selects by label and by field, and refuses unsupported field labels', async () => {
    await call(sim, 'POST', CM, configMap('sel-a', {}, { tier: 'web', env: 'dev' }));
    await call(sim, 'POST', CM, configMap('sel-b', {}, { tier: 'db' }));
    const names = async (query: string) => (await call(sim, 'GET', `${CM}?${query}`)).body.items.map((i: any) => i.metadata.name);
    assert.deepEqual(await names('labelSelector=tier%3Dweb'), ['sel-a']);
    assert.deepEqual(await names('labelSelector=tier%20in%20(web,db)'), ['sel-a', 'sel-b']);
    assert.deepEqual(await names('labelSelector=tier,!env'), ['sel-b']);
    assert.deepEqual(await names('fieldSelector=metadata.name%3Dsel-b'), ['sel-b']);
    const unsupported = await call(sim, 'GET', `${CM}?fieldSelector=data.a%3D1`);
    assert.equal(unsupported.status, 400);
    assert.match(unsupported.body.message, /field label not supported: data\.a/);
  });

  it('pages a list with limit and continue', async () => {
    for (const n of ['p1', 'p2', 'p3']) await call(sim, 'POST', '/api/v1/namespaces/kube-public/configmaps', configMap(n));
    const first = await call(sim, 'GET', '/api/v1/namespaces/kube-public/configmaps?limit=2');
    assert.equal(first.body.items.length, 2);
    assert.ok(first.body.metadata.continue);
    const rest = await call(sim, 'GET', `/api/v1/namespaces/kube-public/configmaps?limit=2&continue=${first.body.metadata.continue}`);
    assert.deepEqual(rest.body.items.map((i: any) => i.metadata.name), ['p3']);
  });

  it('does not store a dry-run create, update or delete', async () => {
    const dry = await call(sim, 'POST', `${CM}?dryRun=All`, configMap('dry'));
    assert.equal(dry.status, 201);
    assert.equal((await call(sim, 'GET', `${CM}/dry`)).status, 404);
    const real = await call(sim, 'POST', CM, configMap('dry2'));
    await call(sim, 'PUT', `${CM}/dry2?dryRun=All`, { ...real.body, data: { a: 'changed' } });
    assert.deepEqual((await call(sim, 'GET', `${CM}/dry2`)).body.data, { a: '1' });
    await call(sim, 'DELETE', `${CM}/dry2?dryRun=All`);
    assert.equal((await call(sim, 'GET', `${CM}/dry2`)).status, 200);
    const bad = await call(sim, 'POST', `${CM}?dryRun=Some`, configMap('dry3'));
    assert.equal(bad.status, 400);
  });

  it('§7 row 41: rejects immutable changes with 422 (Job template, workload selector)', async () => {
    await call(sim, 'POST', DEPLOY, deployment('immut'));
    const res = await call(sim, 'PATCH', `${DEPLOY}/immut`, { spec: { selector: { matchLabels: { app: 'other' } } } }, 'application/merge-patch+json');
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, 'spec.selector');
    assert.match(res.body.message, /field is immutable/);
  });

  it('turns Secret stringData into base64 data', async () => {
    const res = await call(sim, 'POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { password: 'hunter2' } });
    assert.equal(res.body.data.password, Buffer.from('hunter2').toString('base64'));
    assert.equal(res.body.stringData, undefined);
    assert.equal(res.body.type, 'Opaque');
  });

  it('refuses an empty protobuf envelope (400), CBOR (415), protobuf without definitions (415) and unknown resources (404)', async () => {
    const proto = await call(sim, 'POST', CM, 'k8s\u0000', 'application/vnd.kubernetes.protobuf');
    assert.equal(proto.status, 400);
    assert.match(proto.body.message, /names no apiVersion and kind/);
    const cbor = await call(sim, 'POST', CM, 'x', 'application/cbor');
    assert.equal(cbor.status, 415);
    const bare = await startTestSim({ protoDir: '/nonexistent/k8s-proto' });
    try {
      const missing = await call(bare, 'POST', CM, 'k8s\u0000', 'application/vnd.kubernetes.protobuf');
      assert.equal(missing.status, 415);
      assert.match(missing.body.message, /no Kubernetes proto definitions found in \/nonexistent\/k8s-proto/);
    } finally {
      await bare.stop();
    }
    const unknown = await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/widgets');
    assert.equal(unknown.status, 404);
  });
});
