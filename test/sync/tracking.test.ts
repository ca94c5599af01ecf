// Argo CD's annotation tracking id (SPEC-sync §5.5).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appInstanceName, isSelfReferencing, isTrackedTo, parseTrackingId, trackingId, withTracking, TRACKING_ANNOTATION } from '../../shared/model/tracking.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'ns' } };

describe('tracking id', () => {
  it('writes the core group empty', () => {
    assert.equal(trackingId('my-app', { group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' }, 'dest'), 'my-app:/ConfigMap:ns/cm');
  });
  it('gives cluster-scoped objects the destination namespace', () => {
    assert.equal(trackingId('a', { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'r' }, 'dest'), 'a:rbac.authorization.k8s.io/ClusterRole:dest/r');
  });
  it('names apps outside the control-plane namespace <ns>_<name>', () => {
    assert.equal(appInstanceName('app', 'team', 'argocd'), 'team_app');
    assert.equal(appInstanceName('app', 'argocd', 'argocd'), 'app');
  });
  it('parses what it writes, names with colons included', () => {
    assert.deepEqual(parseTrackingId('a:rbac.authorization.k8s.io/ClusterRole:dest/system:aggregate'),
      { appInstance: 'a', group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: 'dest', name: 'system:aggregate' });
  });
  for (const bad of ['', 'a', 'a:b', 'a:/ConfigMap', 'a:/ConfigMap:ns', ':/ConfigMap:ns/cm', 'a:ConfigMap:ns/cm']) {
    it(`rejects "${bad}"`, () => assert.equal(parseTrackingId(bad), undefined));
  }
  it('injects the annotation without touching the input', () => {
    const tracked = withTracking(cm, 'app', { group: '', kind: 'ConfigMap', namespace: 'ns', name: 'cm' }, 'ns');
    assert.equal(tracked.metadata.annotations?.[TRACKING_ANNOTATION], 'app:/ConfigMap:ns/cm');
    assert.equal(cm.metadata.annotations, undefined);
    assert.equal(isTrackedTo(tracked, 'app'), true);
    assert.equal(isTrackedTo(tracked, 'other'), false);
  });
  it('gives CRDs no tracking', () => {
    const crd: KubeObject = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' } };
    assert.equal(withTracking(crd, 'app', { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', namespace: '', name: 'x.example.com' }, 'ns'), crd);
  });
  it('sees a copied object as not self-referencing', () => {
    const copy = { ...cm, metadata: { ...cm.metadata, name: 'copy', annotations: { [TRACKING_ANNOTATION]: 'app:/ConfigMap:ns/cm' } } };
    assert.equal(isSelfReferencing(copy), false);
    assert.equal(isTrackedTo(copy, 'app'), false);
  });
  it('lets a cluster-scoped object match any namespace in its id', () => {
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', annotations: { [TRACKING_ANNOTATION]: 'app:/Namespace:dest/x' } } };
    assert.equal(isSelfReferencing(ns), true);
  });
});
