import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { apply, call, deployment, startTestSim } from './helpers.ts';

const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

describe('server-side apply', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('creates with 201, records the manager fields, and answers 200 on re-apply without a new resourceVersion', async () => {
    const first = await apply(sim, `${DEPLOY}/ssa1`, deployment('ssa1'), 'gitwave');
    assert.equal(first.status, 201);
    const entry = first.body.metadata.managedFields.find((m: any) => m.manager === 'gitwave');
    assert.equal(entry.operation, 'Apply');
    assert.deepEqual(entry.fieldsV1['f:spec']['f:replicas'], {});
    assert.ok(entry.fieldsV1['f:spec']['f:template']['f:spec']['f:containers']['k:{"name":"main"}']);
    const second = await apply(sim, `${DEPLOY}/ssa1`, deployment('ssa1'), 'gitwave');
    assert.equal(second.status, 200);
    assert.equal(second.body.metadata.resourceVersion, first.body.metadata.resourceVersion);
  });

  it('reports a conflict with another manager as 409 naming the field, and force takes the field over', async () => {
    await apply(sim, `${DEPLOY}/ssa2`, deployment('ssa2', 2), 'kubectl');
    const clash = await apply(sim, `${DEPLOY}/ssa2`, deployment('ssa2', 5), 'gitwave');
    assert.equal(clash.status, 409);
    assert.equal(clash.body.reason, 'Conflict');
    assert.equal(clash.body.message, 'Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    assert.deepEqual(clash.body.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl"', field: '.spec.replicas' }]);
    const forced = await apply(sim, `${DEPLOY}/ssa2`, deployment('ssa2', 5), 'gitwave', 'force=true');
    assert.equal(forced.status, 200);
    assert.equal(forced.body.spec.replicas, 5);
    const kubectl = forced.body.metadata.managedFields.find((m: any) => m.manager === 'kubectl');
    assert.equal(kubectl.fieldsV1['f:spec']['f:replicas'], undefined);
    assert.ok(kubectl.fieldsV1['f:spec']['f:selector'], 'fields applied with the same value stay shared');
  });

  it('removes a field its manager stops applying, unless another manager owns it', async () => {
    const withLabel = deployment('ssa3');
    (withLabel.metadata as any).labels.tier = 'web';
    await apply(sim, `${DEPLOY}/ssa3`, withLabel, 'gitwave');
    const dropped = await apply(sim, `${DEPLOY}/ssa3`, deployment('ssa3'), 'gitwave');
    assert.equal(dropped.body.metadata.labels.tier, undefined);
    assert.equal(dropped.body.metadata.labels.app, 'ssa3');
  });

  it('merges list items by key: a second manager adds a container env entry without replacing the list', async () => {
    await apply(sim, `${DEPLOY}/ssa4`, deployment('ssa4'), 'gitwave');
    const patch = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa4' }, spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }] } } } };
    const res = await apply(sim, `${DEPLOY}/ssa4`, patch, 'other');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.spec.template.spec.containers.map((c: any) => c.name), ['main', 'sidecar']);
  });

  it('does not store anything on dryRun=All', async () => {
    const res = await apply(sim, `${DEPLOY}/ssa5`, deployment('ssa5'), 'gitwave', 'dryRun=All');
    assert.equal(res.status, 201);
    assert.equal(res.body.spec.replicas, 2);
    const get = await call(sim, 'GET', `${DEPLOY}/ssa5`);
    assert.equal(get.status, 404);
  });
});
