// normalize (SPEC-sync §5.3) on single objects: what goes, what stays, and that inputs are untouched.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { normalize } from '../../shared/diff/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const live: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'ns', uid: 'u', resourceVersion: '1', generation: 3, creationTimestamp: 't',
    managedFields: [{ manager: 'm' }], labels: { a: 'b' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
  },
  spec: { replicas: 1 },
  status: { replicas: 1 },
};

describe('normalize', () => {
  it('drops server metadata, the last-applied annotation and status', () => {
    assert.deepEqual(normalize(live), {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: 'web', namespace: 'ns', labels: { a: 'b' }, annotations: { keep: 'me' } },
      spec: { replicas: 1 },
    });
  });
  it('drops an annotation map left empty', () => {
    const obj = { ...live, metadata: { name: 'x', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
    assert.equal(normalize(obj).metadata.annotations, undefined);
  });
  it('keeps status when asked', () => assert.deepEqual(normalize(live, { ignoreResourceStatusField: 'none' }).status, { replicas: 1 }));
  it('does not change its input', () => {
    const before = JSON.stringify(live);
    normalize(live);
    assert.equal(JSON.stringify(live), before);
  });
  it('folds Secret stringData into base64 data, stringData winning', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'b2xk', n: null }, stringData: { a: 'new' } };
    assert.deepEqual(normalize(secret).data, { a: 'bmV3', n: '' });
    assert.equal(normalize(secret).stringData, undefined);
  });
  it('leaves a Secret whose data is not a map for the API server to refuse', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: 'oops', stringData: { a: 'x' } };
    assert.equal(normalize(secret).data, 'oops');
  });
  it('does not fold stringData of a non-core Secret kind', () => {
    const other: KubeObject = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 's' }, stringData: { a: 'x' } };
    assert.deepEqual(normalize(other).stringData, { a: 'x' });
  });
});
