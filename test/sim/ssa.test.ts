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
    // A ConfigMap has no controller writing to it, so an unchanged re-apply must keep its version.
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same' }, data: { a: '1' } };
    const created = await apply(sim, '/api/v1/namespaces/default/configmaps/same', cm, 'gitwave');
    const again = await apply(sim, '/api/v1/namespaces/default/configmaps/same', cm, 'gitwave');
    assert.equal(again.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
    assert.equal(again.body.metadata.managedFields[0].time, created.body.metadata.managedFields[0].time);
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

  it('records update-type writers beside appliers, and an update takes fields without a conflict', async () => {
    await apply(sim, `${DEPLOY}/ssa6`, deployment('ssa6', 2), 'gitwave');
    const scaled = await call(sim, 'PATCH', `${DEPLOY}/ssa6?fieldManager=hpa`, { spec: { replicas: 6 } }, 'application/merge-patch+json');
    assert.equal(scaled.status, 200);
    const hpa = scaled.body.metadata.managedFields.find((m: any) => m.manager === 'hpa');
    assert.equal(hpa.operation, 'Update');
    assert.deepEqual(hpa.fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    const clash = await apply(sim, `${DEPLOY}/ssa6`, deployment('ssa6', 2), 'gitwave');
    assert.equal(clash.status, 409);
    assert.equal(clash.body.message, 'Apply failed with 1 conflict: conflict with "hpa" using apps/v1: .spec.replicas');
  });

  it('lists every conflicting field when there are several', async () => {
    await apply(sim, `${DEPLOY}/ssa7`, deployment('ssa7', 2, 'nginx:1'), 'kubectl');
    const clash = await apply(sim, `${DEPLOY}/ssa7`, deployment('ssa7', 3, 'nginx:2'), 'gitwave');
    assert.equal(clash.status, 409);
    assert.match(clash.body.message, /^Apply failed with 2 conflicts: conflicts with "kubectl":\n- \.spec\.replicas\n- \.spec\.template\.spec\.containers\[name="main"\]\.image$/);
  });

  it('applies to the status subresource as its own manager', async () => {
    await apply(sim, `${DEPLOY}/ssa8`, deployment('ssa8'), 'gitwave');
    const status = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'ssa8' }, status: { conditions: [{ type: 'Custom', status: 'True' }] } };
    const res = await apply(sim, `${DEPLOY}/ssa8/status`, status, 'probe');
    assert.equal(res.status, 200);
    const probe = res.body.metadata.managedFields.find((m: any) => m.manager === 'probe');
    assert.equal(probe.subresource, 'status');
    assert.ok(res.body.status.conditions.some((c: any) => c.type === 'Custom'));
  });

  it('requires a field manager, apiVersion and kind, and a matching name', async () => {
    const noManager = await call(sim, 'PATCH', `${DEPLOY}/ssa9`, deployment('ssa9'), 'application/apply-patch+yaml');
    assert.equal(noManager.status, 400);
    const wrongName = await apply(sim, `${DEPLOY}/other`, deployment('ssa9'), 'gitwave');
    assert.equal(wrongName.status, 400);
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fromyaml\ndata:\n  k: v\n';
    const fromYaml = await call(sim, 'PATCH', '/api/v1/namespaces/default/configmaps/fromyaml?fieldManager=gitwave', yaml, 'application/apply-patch+yaml');
    assert.equal(fromYaml.status, 201);
    assert.deepEqual(fromYaml.body.data, { k: 'v' });
  });

  it('does not store anything on dryRun=All', async () => {
    const res = await apply(sim, `${DEPLOY}/ssa5`, deployment('ssa5'), 'gitwave', 'dryRun=All');
    assert.equal(res.status, 201);
    assert.equal(res.body.spec.replicas, 2);
    const get = await call(sim, 'GET', `${DEPLOY}/ssa5`);
    assert.equal(get.status, 404);
  });
});
