import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../shared/model/object.ts';
import { HOOK_FINALIZER, KindNotServedError, KubeClusterClient, NamespaceNotFoundError } from '../../shared/kube/index.ts';
import { HttpsTransport } from '../../shared/kube/https-transport.ts';
import { leaseOfUserAgent, writerUserAgent } from '../../shared/engine/lease-agent.ts';
import { auditFor, startSimFixture, type SimFixture } from './helpers/sim.ts';

const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const cm = (namespace: string, name: string, data: Record<string, string>, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, ...extra },
  data,
});
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'alpha' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
  },
};

describe('KubeClusterClient against the simulator: apply, get, list, delete', () => {
  let fx: SimFixture;
  let kube: KubeClusterClient;
  before(async () => {
    fx = await startSimFixture();
    kube = fx.client();
    await kube.apply(ns('alpha'));
    await kube.apply(ns('beta'));
  });
  after(() => fx.stop());

  it('creates with server-side apply as field manager gitwave, then configures', async () => {
    // Act
    const created = await kube.apply(cm('alpha', 'settings', { color: 'blue' }));
    const configured = await kube.apply(cm('alpha', 'settings', { color: 'green' }));
    // Assess
    assert.equal(created.created, true);
    assert.equal(configured.created, false);
    assert.equal(configured.message, 'configmap/settings serverside-applied');
    assert.deepEqual(configured.takenOver, []);
    const live = await kube.get({ group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'settings' });
    assert.deepEqual(live?.data, { color: 'green' });
    assert.deepEqual(live?.metadata.managedFields?.map((m) => [m.manager, m.operation]), [['gitwave', 'Apply']]);
    const writes = auditFor(fx.sim, 'configmaps', 'settings').filter((a) => a.verb === 'patch');
    assert.deepEqual(writes.map((a) => [a.fieldManager, a.patchType, a.dryRun, a.code]), [
      ['gitwave', 'apply', false, 201],
      ['gitwave', 'apply', false, 200],
    ]);
  });

  it('dry-runs an apply: returns the predicted object (with server defaults) and persists nothing', async () => {
    const predicted = await kube.dryRunApply(deployment);
    assert.equal(predicted.dryRun, true);
    assert.equal(predicted.created, true);
    assert.equal(predicted.message, 'deployment.apps/web serverside-applied (server dry run)');
    assert.equal((predicted.object.spec as { replicas?: number }).replicas, 1, 'server default filled in');
    assert.equal(await kube.get({ group: 'apps', kind: 'Deployment', namespace: 'alpha', name: 'web' }), undefined);
    const patch = auditFor(fx.sim, 'deployments', 'web').find((a) => a.verb === 'patch');
    assert.equal(patch?.dryRun, true);
  });

  it('gives undefined for an object that does not exist, and fails closed for a kind that is not served', async () => {
    assert.equal(await kube.get({ group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'nope' }), undefined);
    await assert.rejects(kube.get({ group: 'nope.example.com', kind: 'Thing', name: 'x' }), KindNotServedError);
  });

  it('lists a kind across all namespaces in one request, with apiVersion and kind on each item', async () => {
    await kube.apply(cm('beta', 'other', { a: '1' }));
    const before = fx.sim.audit().length;
    const items = await kube.list({ group: '', kind: 'ConfigMap' });
    const lists = fx.sim.audit().slice(before).filter((a) => a.verb === 'list');
    const names = items.map((o) => `${o.apiVersion}/${o.kind}/${o.metadata.namespace}/${o.metadata.name}`);
    assert.ok(names.includes('v1/ConfigMap/alpha/settings'), names.join(' '));
    assert.ok(names.includes('v1/ConfigMap/beta/other'), names.join(' '));
    assert.deepEqual(lists.map((a) => [a.resource, a.namespace]), [['configmaps', '']]);
  });

  it('follows continue tokens and filters by namespace and label', async () => {
    await kube.apply(cm('beta', 'labelled', { a: '1' }, { labels: { tier: 'x' } }));
    const whole = await kube.list({ group: '', kind: 'ConfigMap' }, { namespace: 'beta' });
    const before = fx.sim.audit().length;
    const paged = await kube.list({ group: '', kind: 'ConfigMap' }, { namespace: 'beta', pageSize: 1 });
    const pages = fx.sim.audit().slice(before).filter((a) => a.verb === 'list');
    const names = (list: KubeObject[]) => list.map((o) => o.metadata.name).sort();
    assert.ok(whole.length >= 2 && whole.every((o) => o.metadata.namespace === 'beta'));
    assert.deepEqual(names(paged), names(whole));
    assert.ok(pages.length >= whole.length, `${pages.length} pages for ${whole.length} objects at page size 1`);
    const labelled = await kube.list({ group: '', kind: 'ConfigMap' }, { labelSelector: 'tier=x' });
    assert.deepEqual(labelled.map((o) => o.metadata.name), ['labelled']);
  });

  it('answers the scope of kinds from discovery', async () => {
    assert.equal(await kube.scopeOf('', 'Namespace'), 'Cluster');
    assert.equal(await kube.scopeOf('', 'ConfigMap'), 'Namespaced');
    assert.equal(await kube.scopeOf('rbac.authorization.k8s.io', 'ClusterRole'), 'Cluster');
    assert.equal(await kube.scopeOf('apps', 'Deployment'), 'Namespaced');
    assert.equal(await kube.scopeOf('nope.example.com', 'Thing'), undefined);
    const mapping = await kube.discover({ group: 'apps', kind: 'Deployment' });
    assert.deepEqual([mapping?.version, mapping?.resource], ['v1', 'deployments']);
  });

  it('refuses to apply into a namespace that does not exist (an ordering bug)', async () => {
    await assert.rejects(kube.apply(cm('missing-ns', 'x', {})), NamespaceNotFoundError);
  });

  it('deletes an object; NotFound counts as already gone', async () => {
    await kube.apply(cm('alpha', 'doomed', {}));
    const first = await kube.delete({ group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'doomed' }, { propagationPolicy: 'Background' });
    const second = await kube.delete({ group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'doomed' });
    assert.equal(first.outcome, 'deleted');
    assert.equal(second.outcome, 'not-found');
    assert.equal(await kube.get({ group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'doomed' }), undefined);
  });

  it('deletes with foreground propagation by default: the object waits on foregroundDeletion', async () => {
    await kube.apply(cm('alpha', 'foreground', {}));
    const result = await kube.delete({ group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'foreground' });
    assert.equal(result.outcome, 'deleting');
    assert.deepEqual(result.pendingFinalizers, ['foregroundDeletion']);
  });

  it('reports a delete held by finalizers, then removes only the hook finalizer by JSON patch', async () => {
    // Prepare: a hook object with the hook finalizer and a finalizer that is not ours.
    await kube.apply(cm('alpha', 'hook', {}, { finalizers: [HOOK_FINALIZER, 'example.com/keep'] }));
    const ref = { group: '', kind: 'ConfigMap', namespace: 'alpha', name: 'hook' };
    // Act
    // Background: a Foreground delete would add foregroundDeletion, which the garbage collector removes on its own time.
    const deleting = await kube.delete(ref, { propagationPolicy: 'Background' });
    const reapplied = await kube.apply(cm('alpha', 'hook', {}, { finalizers: [HOOK_FINALIZER, 'example.com/keep'] }));
    const removed = await kube.removeFinalizer(ref);
    const again = await kube.removeFinalizer(ref);
    // Assess
    assert.equal(deleting.outcome, 'deleting');
    assert.deepEqual(deleting.pendingFinalizers, [HOOK_FINALIZER, 'example.com/keep']);
    assert.equal(reapplied.deleting, true, 'an apply does not undo a deletion');
    assert.equal(removed, true);
    assert.equal(again, false, 'already gone');
    const live = await kube.get(ref);
    assert.ok(live?.metadata.deletionTimestamp);
    assert.deepEqual(live?.metadata.finalizers, ['example.com/keep'], 'other finalizers are never stripped');
    const jsonPatches = auditFor(fx.sim, 'configmaps', 'hook').filter((a) => a.patchType === 'json');
    assert.equal(jsonPatches.length, 1);
  });

  it('a client scoped with as(userAgent) names it on every request, in the audit log; the client it came from does not', async () => {
    const from = fx.sim.audit().length;
    const writer = kube.as(writerUserAgent({ cluster: 'local', fence: 7 }, 'web-abc'));
    await writer.apply(cm('beta', 'leased', { by: 'writer' }));
    await writer.delete({ group: '', kind: 'ConfigMap', namespace: 'beta', name: 'leased' }, { propagationPolicy: 'Background' });
    await kube.apply(cm('beta', 'unleased', {}));
    const agents = fx.sim.audit().slice(from).filter((a) => a.namespace === 'beta' && ['patch', 'delete'].includes(a.verb)).map((a) => [a.verb, a.name, leaseOfUserAgent(a.userAgent)]);
    assert.deepEqual(agents, [
      ['patch', 'leased', { cluster: 'local', fence: 7, syncId: 'web-abc' }],
      ['delete', 'leased', { cluster: 'local', fence: 7, syncId: 'web-abc' }],
      ['patch', 'unleased', undefined],
    ]);
  });

  it('the node:https transport sends the scoped User-Agent too', async () => {
    const https = new KubeClusterClient(new HttpsTransport({ server: fx.sim.url, bearer: { token: async () => ({ value: () => 'token' }), refresh: async () => ({ value: () => 'token' }) } }));
    try {
      await https.as(writerUserAgent({ cluster: 'prod', fence: 3 }, 'api-1')).get({ group: '', kind: 'Namespace', name: 'beta' });
      assert.deepEqual(leaseOfUserAgent(fx.sim.audit().at(-1)!.userAgent), { cluster: 'prod', fence: 3, syncId: 'api-1' });
    } finally {
      await https.close();
    }
  });
});
