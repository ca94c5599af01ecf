import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { call, deployment, startTestSim } from './helpers.ts';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const SMP = 'application/strategic-merge-patch+json';

describe('patch types and strict validation', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
    const d = deployment('p');
    (d.spec as any).template.spec.containers[0].env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    await call(sim, 'POST', DEPLOY, d);
  });
  after(() => sim.stop());

  it('strategic merge merges containers and env by name, and $patch: delete removes one item', async () => {
    const patch = { spec: { template: { spec: { containers: [{ name: 'main', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }] }, { name: 'side', image: 'busybox' }] } } } };
    const res = await call(sim, 'PATCH', `${DEPLOY}/p`, patch, SMP);
    assert.equal(res.status, 200);
    const containers = res.body.spec.template.spec.containers;
    assert.deepEqual(containers.map((c: any) => c.name), ['main', 'side']);
    assert.deepEqual(containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: 'two' }, { name: 'C', value: '3' }]);
    assert.equal(containers[0].image, 'nginx:1.27');
    const deleted = await call(sim, 'PATCH', `${DEPLOY}/p`, { spec: { template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } } } }, SMP);
    assert.deepEqual(deleted.body.spec.template.spec.containers.map((c: any) => c.name), ['main']);
  });

  it('JSON merge patch replaces lists whole', async () => {
    const res = await call(sim, 'PATCH', `${DEPLOY}/p`, { spec: { template: { spec: { containers: [{ name: 'only', image: 'alpine' }] } } } }, 'application/merge-patch+json');
    assert.deepEqual(res.body.spec.template.spec.containers.map((c: any) => c.name), ['only']);
  });

  it('JSON patch applies operations in order and fails a failed test op with 422', async () => {
    const ops = [{ op: 'replace', path: '/spec/replicas', value: 5 }, { op: 'add', path: '/metadata/labels/x', value: 'y' }];
    const res = await call(sim, 'PATCH', `${DEPLOY}/p`, ops, 'application/json-patch+json');
    assert.equal(res.body.spec.replicas, 5);
    assert.equal(res.body.metadata.labels.x, 'y');
    const failed = await call(sim, 'PATCH', `${DEPLOY}/p`, [{ op: 'test', path: '/spec/replicas', value: 1 }], 'application/json-patch+json');
    assert.equal(failed.status, 422);
  });

  it('answers 415 for an unknown patch type', async () => {
    const res = await call(sim, 'PATCH', `${DEPLOY}/p`, {}, 'text/plain');
    assert.equal(res.status, 415);
  });

  it('fieldValidation=Strict rejects unknown fields with 422 naming each one', async () => {
    const bad = deployment('strict');
    (bad.spec as any).replicass = 2;
    (bad.spec as any).template.spec.containers[0].imagee = 'x';
    const res = await call(sim, 'POST', `${DEPLOY}?fieldValidation=Strict`, bad);
    assert.equal(res.status, 422);
    assert.deepEqual(res.body.details.causes.map((c: any) => c.field).sort(), ['spec.replicass', 'spec.template.spec.containers[0].imagee']);
    assert.match(res.body.message, /unknown field "spec\.replicass"/);
  });

  it('without Strict, unknown fields are dropped with a Warning header', async () => {
    const bad = deployment('warned');
    (bad.spec as any).replicass = 2;
    const res = await call(sim, 'POST', DEPLOY, bad);
    assert.equal(res.status, 201);
    assert.equal(res.body.spec.replicass, undefined);
    assert.match(res.headers.get('warning') ?? '', /unknown field \\"spec\.replicass\\"/);
  });

  it('rejects a wrong type with 422 whatever the validation mode', async () => {
    const bad = deployment('typed');
    (bad.spec as any).replicas = 'three';
    const res = await call(sim, 'POST', DEPLOY, bad);
    assert.equal(res.status, 422);
    assert.equal(res.body.details.causes[0].field, 'spec.replicas');
  });
});
