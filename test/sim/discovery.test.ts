import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { call, eventually, startTestSim } from './helpers.ts';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'gadgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced',
    names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
    versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} }, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
  },
};

describe('discovery and OpenAPI', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim({ crdDelaySeconds: 0.3 });
  });
  after(() => sim.stop());

  it('serves /version and legacy discovery documents', async () => {
    assert.equal((await call(sim, 'GET', '/version')).body.minor, '32');
    assert.deepEqual((await call(sim, 'GET', '/api')).body.versions, ['v1']);
    const groups = (await call(sim, 'GET', '/apis')).body.groups.map((g: any) => g.name);
    for (const g of ['apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling', 'apiextensions.k8s.io', 'coordination.k8s.io', 'storage.k8s.io']) assert.ok(groups.includes(g), g);
    const apps = (await call(sim, 'GET', '/apis/apps/v1')).body;
    const deploy = apps.resources.find((r: any) => r.name === 'deployments');
    assert.deepEqual([deploy.kind, deploy.namespaced, deploy.shortNames], ['Deployment', true, ['deploy']]);
    assert.ok(apps.resources.some((r: any) => r.name === 'deployments/scale' && r.kind === 'Scale'));
    const autoscaling = (await call(sim, 'GET', '/apis/autoscaling')).body;
    assert.equal(autoscaling.preferredVersion.version, 'v2');
  });

  it('serves aggregated discovery when asked, with its content type', async () => {
    const res = await call(sim, 'GET', '/apis', undefined, 'application/json', { Accept: AGGREGATED });
    assert.match(res.headers.get('content-type') ?? '', /as=APIGroupDiscoveryList/);
    const apps = res.body.items.find((i: any) => i.metadata.name === 'apps');
    const deploy = apps.versions[0].resources.find((r: any) => r.resource === 'deployments');
    assert.equal(deploy.scope, 'Namespaced');
    assert.deepEqual(deploy.subresources.map((s: any) => s.subresource), ['status', 'scale']);
  });

  it('serves the OpenAPI v3 index with hashes and the documents they point at', async () => {
    const index = (await call(sim, 'GET', '/openapi/v3')).body;
    const url = index.paths['apis/apps/v1'].serverRelativeURL;
    assert.match(url, /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]+$/);
    const doc = (await call(sim, 'GET', url)).body;
    const patch = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'].patch;
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.ok(patch.parameters.some((p: any) => p.name === 'fieldValidation'));
  });

  it('serves a CRD kind only once it is Established, with its schema', async () => {
    await call(sim, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    const early = await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/gadgets');
    assert.equal(early.status, 404);
    assert.equal((await call(sim, 'GET', '/apis/example.com/v1')).status, 404);
    const established = await eventually(async () => {
      const c = (await call(sim, 'GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com')).body;
      return c.status?.conditions?.some((x: any) => x.type === 'Established' && x.status === 'True') ? c : undefined;
    });
    assert.ok(established.status.conditions.some((x: any) => x.type === 'NamesAccepted' && x.status === 'True'));
    assert.equal(established.status.acceptedNames.kind, 'Gadget');
    const created = await call(sim, 'POST', '/apis/example.com/v1/namespaces/default/gadgets?fieldValidation=Strict', { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 2, colour: 'red' } });
    assert.equal(created.status, 422);
    assert.equal(created.body.details.causes[0].field, 'spec.colour');
    const doc = (await call(sim, 'GET', '/openapi/v3/apis/example.com/v1')).body;
    assert.ok(Object.values(doc.components.schemas).some((s: any) => s['x-kubernetes-group-version-kind']?.[0]?.kind === 'Gadget'));
    const smp = await call(sim, 'PATCH', '/apis/example.com/v1/namespaces/default/gadgets/g', {}, 'application/strategic-merge-patch+json');
    assert.equal(smp.status, 415);
  });

  it('stops serving a CRD kind when the CRD is deleted', async () => {
    await call(sim, 'DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
    await eventually(async () => ((await call(sim, 'GET', '/apis/example.com/v1/namespaces/default/gadgets')).status === 404 ? true : undefined));
  });
});

describe('without schemas', () => {
  let sim: RunningSimulator;
  const lines: string[] = [];
  before(async () => {
    sim = await startTestSim({ schemasDir: undefined, log: (l) => lines.push(l) });
  });
  after(() => sim.stop());

  it('says what it cannot validate, and serves minimal documents kubectl can validate with', async () => {
    assert.ok(lines.some((l) => /no OpenAPI schemas/.test(l) && /not validated/.test(l)));
    const index = (await call(sim, 'GET', '/openapi/v3')).body;
    const doc = (await call(sim, 'GET', index.paths['api/v1'].serverRelativeURL)).body;
    const patch = doc.paths['/api/v1/namespaces/{namespace}/configmaps/{name}'].patch;
    assert.equal(patch['x-kubernetes-action'], 'patch');
    assert.deepEqual(patch['x-kubernetes-group-version-kind'], { group: '', version: 'v1', kind: 'ConfigMap' });
    assert.ok(patch.parameters.some((p: any) => p.name === 'fieldValidation'));
  });

  it('still merges containers by name in server-side apply', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments/x?fieldManager=';
    const body = (containers: unknown[], replicas?: number) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, spec: { ...(replicas ? { replicas } : {}), selector: { matchLabels: { a: 'x' } }, template: { metadata: { labels: { a: 'x' } }, spec: { containers } } } });
    await call(sim, 'PATCH', `${path}one`, body([{ name: 'a', image: 'a' }], 1), 'application/apply-patch+yaml');
    const res = await call(sim, 'PATCH', `${path}two`, body([{ name: 'b', image: 'b' }]), 'application/apply-patch+yaml');
    assert.deepEqual(res.body.spec.template.spec.containers.map((c: any) => c.name), ['a', 'b']);
  });
});
