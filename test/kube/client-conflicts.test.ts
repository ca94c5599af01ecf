import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../shared/model/object.ts';
import { KindNotServedError, type KubeClusterClient } from '../../shared/kube/index.ts';
import { startSimFixture, type SimFixture } from './helpers/sim.ts';

const cm = (name: string, data: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } },
    }],
  },
};
const widget: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w1', namespace: 'default' }, spec: { size: 3 } };

/** Polls `done` every 50 ms, up to 60 s, a bound for a broken run only (the CRD's own deletion is asynchronous). */
async function waitUntil(done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1200 && !(await done()); i++) await new Promise((r) => setTimeout(r, 50));
}

describe('KubeClusterClient against the simulator: conflicts and CRDs', () => {
  let fx: SimFixture;
  let kube: KubeClusterClient;
  before(async () => {
    fx = await startSimFixture({ crdDelaySeconds: 0.4 });
    kube = fx.client();
  });
  after(() => fx.stop());

  it('§7 row 38: takes over fields another manager owns and reports that manager and those fields', async () => {
    // Prepare: another field manager owns .data.color.
    const other = fx.client({ fieldManager: 'helm' });
    await other.apply(cm('shared', { color: 'red', size: 'L' }));
    // Act
    const result = await kube.apply(cm('shared', { color: 'blue' }));
    // Assess
    assert.deepEqual(result.takenOver, [{ manager: 'helm', field: '.data.color' }]);
    assert.match(result.message, /took over fields from helm \(\.data\.color\)/);
    assert.equal(result.object.data && (result.object.data as Record<string, string>).color, 'blue');
    const writes = fx.sim.audit().filter((a) => a.name === 'shared' && a.fieldManager === 'gitwave');
    assert.deepEqual(writes.map((a) => a.code), [409, 200], 'first without force, then forced');
    const live = await kube.get({ group: '', kind: 'ConfigMap', namespace: 'default', name: 'shared' });
    const helm = live?.metadata.managedFields?.find((m) => m.manager === 'helm') as { fieldsV1?: { 'f:data'?: object } } | undefined;
    assert.ok(helm?.fieldsV1?.['f:data'] && !('f:color' in helm.fieldsV1['f:data']), 'helm no longer owns .data.color');
  });

  it('reports the conflict in a dry run too, without changing the live object', async () => {
    const other = fx.client({ fieldManager: 'argocd-controller' });
    await other.apply(cm('dry', { mode: 'a' }));
    const result = await kube.dryRunApply(cm('dry', { mode: 'b' }));
    assert.deepEqual(result.takenOver, [{ manager: 'argocd-controller', field: '.data.mode' }]);
    assert.equal((result.object.data as Record<string, string>).mode, 'b');
    const live = await kube.get({ group: '', kind: 'ConfigMap', namespace: 'default', name: 'dry' });
    assert.equal((live?.data as Record<string, string>).mode, 'a');
  });

  it('takes over from the real kubectl client-side apply (the migration case)', async () => {
    // kubectl runs asynchronously: the simulator answers it from this very process.
    const file = join(dirname(fx.kubeconfigPath), 'from-kubectl.json');
    writeFileSync(file, JSON.stringify(cm('from-kubectl', { k: 'v1' })));
    await promisify(execFile)('kubectl', ['--kubeconfig', fx.kubeconfigPath, 'apply', '-f', file], { timeout: 20_000 });
    const result = await kube.apply(cm('from-kubectl', { k: 'v2' }));
    assert.deepEqual(result.takenOver, [{ manager: 'kubectl-client-side-apply', field: '.data.k' }]);
    const live = await kube.get({ group: '', kind: 'ConfigMap', namespace: 'default', name: 'from-kubectl' });
    assert.deepEqual(live?.data, { k: 'v2' });
  });

  it('§7 row 28: applies a CRD then its custom resource: waits for Established and refreshes discovery', async () => {
    // Prepare: discovery is cached before the CRD exists.
    assert.equal(await kube.scopeOf('example.com', 'Widget'), undefined);
    // Act
    await kube.apply(crd);
    const applied = await kube.apply(widget, { kindWaitMs: 10_000 });
    // Assess
    assert.equal(applied.message, 'widget.example.com/w1 serverside-applied');
    assert.equal(await kube.scopeOf('example.com', 'Widget'), 'Namespaced');
    const live = await kube.get({ group: 'example.com', kind: 'Widget', namespace: 'default', name: 'w1' });
    assert.deepEqual(live?.spec, { size: 3 });
    const groupReads = fx.sim.audit().filter((a) => a.path === '/apis/example.com/v1' || (a.group === 'example.com' && a.resource === ''));
    assert.ok(groupReads.length >= 1, 'discovery of the new group was read');
  });

  it('notices a kind that went away with its CRD (stale discovery is dropped)', async () => {
    // Prepare: two clients that both have Widget cached as served.
    const lister = fx.client();
    await kube.apply(crd);
    await kube.apply(widget, { kindWaitMs: 10_000 });
    assert.equal(await kube.scopeOf('example.com', 'Widget'), 'Namespaced');
    assert.equal(await lister.scopeOf('example.com', 'Widget'), 'Namespaced');
    // Act: the CRD goes away.
    await kube.delete({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'widgets.example.com' }, { propagationPolicy: 'Background' });
    await waitUntil(async () => (await kube.list({ group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' })).every((c) => c.metadata.name !== 'widgets.example.com'));
    // Assess: a get and a list through the stale mapping both say so, and the mapping is forgotten.
    await assert.rejects(kube.get({ group: 'example.com', version: 'v1', kind: 'Widget', namespace: 'default', name: 'w1' }), KindNotServedError);
    await assert.rejects(lister.list({ group: 'example.com', version: 'v1', kind: 'Widget' }), /no longer served/);
    assert.equal(await kube.scopeOf('example.com', 'Widget'), undefined);
    assert.equal(await lister.scopeOf('example.com', 'Widget'), undefined);
  });

  it('§7 row 29: fails with "kind not served" when no CRD shows up before the deadline', async () => {
    const before = fx.sim.audit().length;
    await assert.rejects(
      kube.apply({ apiVersion: 'nothing.example.com/v1', kind: 'Gadget', metadata: { name: 'g', namespace: 'default' } }, { kindWaitMs: 300 }),
      (err: Error) => err instanceof KindNotServedError && /^kind not served: no Gadget in nothing\.example\.com\/v1/.test(err.message),
    );
    const polls = fx.sim.audit().slice(before).filter((a) => a.group === 'nothing.example.com' || (a.path ?? '').startsWith('/apis/nothing.example.com'));
    assert.ok(polls.length >= 2, `discovery was polled while waiting (${polls.length} reads)`);
  });
});
