// Application health aggregation (SPEC-sync §4.3).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appHealth, type AppHealthResource } from '../../shared/health/index.ts';
import type { KubeObject, ResourceKey } from '../../shared/model/object.ts';

function pvc(name: string, phase: string | null, annotations: Record<string, string> = {}): AppHealthResource {
  const key: ResourceKey = { group: '', kind: 'PersistentVolumeClaim', namespace: 'ns', name };
  const obj: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name, namespace: 'ns', annotations }, status: { phase } };
  return { key, desired: obj, live: phase === null ? null : obj };
}
function app(name: string, status: string, namespace = 'argocd'): AppHealthResource {
  const key: ResourceKey = { group: 'argoproj.io', kind: 'Application', namespace, name };
  const live: KubeObject = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace }, status: { health: { status } } };
  return { key, live };
}
const cm: AppHealthResource = {
  key: { group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' },
  live: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
};

describe('appHealth (§4.3)', () => {
  it('is Healthy when every resource is', () => assert.equal(appHealth([pvc('a', 'Bound'), cm]).status, 'Healthy'));
  it('is the worst status', () => {
    assert.equal(appHealth([pvc('a', 'Bound'), pvc('b', 'Pending'), pvc('c', 'Lost')]).status, 'Degraded');
  });
  it('records up to three causes of the worst status', () => {
    const result = appHealth([pvc('a', 'Pending'), pvc('b', 'Lost'), pvc('c', 'Lost'), pvc('d', 'Lost'), pvc('e', 'Lost')]);
    assert.deepEqual(result.causedBy.map((c) => c.key.name), ['b', 'c', 'd']);
    assert.match(result.message ?? '', /caused by: \/PersistentVolumeClaim\/ns\/b/);
  });
  it('skips hooks', () => {
    assert.equal(appHealth([pvc('a', 'Bound'), { ...pvc('h', 'Lost'), hook: true }]).status, 'Healthy');
  });
  it('skips objects annotated ignore-healthcheck', () => {
    assert.equal(appHealth([pvc('a', 'Bound'), pvc('b', 'Lost', { 'argocd.argoproj.io/ignore-healthcheck': 'true' })]).status, 'Healthy');
  });
  it('skips resources with no live object (OutOfSync reports them)', () => {
    assert.equal(appHealth([pvc('a', 'Bound'), pvc('gone', null)]).status, 'Healthy');
  });
  it('skips null health', () => assert.deepEqual(appHealth([cm]), { status: 'Healthy', causedBy: [] }));
  it('uses a given health instead of computing it', () => {
    assert.equal(appHealth([{ ...pvc('a', 'Bound'), health: { status: 'Suspended' } }]).status, 'Suspended');
  });
  it('skips the app itself', () => {
    const self = { ...app('parent', 'Degraded'), health: { status: 'Degraded' as const } };
    assert.equal(appHealth([self, pvc('a', 'Bound')], { app: { name: 'parent', namespace: 'argocd' } }).status, 'Healthy');
  });
  it('skips a child Application whose health is Missing or Unknown', () => {
    const options = { applicationHealth: true };
    assert.equal(appHealth([app('c1', 'Missing'), app('c2', 'Unknown'), pvc('a', 'Bound')], options).status, 'Healthy');
    assert.equal(appHealth([app('c3', 'Degraded'), pvc('a', 'Bound')], options).status, 'Degraded');
  });
  it('ignores child Applications without the opt-in check', () => {
    assert.equal(appHealth([app('c3', 'Degraded'), pvc('a', 'Bound')]).status, 'Healthy');
  });
  it('is Missing when the app has resources but none exists live', () => {
    assert.equal(appHealth([pvc('a', null), pvc('b', null)]).status, 'Missing');
  });
  it('is Healthy with no resources at all', () => assert.equal(appHealth([]).status, 'Healthy'));
  it('is not Missing because only hooks are absent', () => {
    assert.equal(appHealth([pvc('a', 'Bound'), { ...pvc('h', null), hook: true }]).status, 'Healthy');
  });
});
