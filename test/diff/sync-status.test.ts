// Sync status per resource and per app (SPEC-sync §5.1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appSyncStatus, resourceSyncStatus, type ResourceSyncInput, type ResourceSyncStatus } from '../../shared/diff/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const obj = (annotations: Record<string, string> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations } });
const desired = obj();
const live = obj();

describe('resourceSyncStatus', () => {
  const cases: Array<[string, ResourceSyncInput, ResourceSyncStatus]> = [
    ['in sync', { desired, live, modified: false }, { status: 'Synced', requiresPruning: false }],
    ['modified', { desired, live, modified: true }, { status: 'OutOfSync', requiresPruning: false }],
    ['missing live', { desired, live: null }, { status: 'OutOfSync', requiresPruning: false }],
    ['extraneous: requires pruning', { desired: null, live }, { status: 'OutOfSync', requiresPruning: true }],
    ['hook: no status', { desired, live, hook: true, modified: true }, { status: null, requiresPruning: false }],
    ['copied tracking id: no status, never pruned', { desired: null, live, trackingMismatch: true }, { status: null, requiresPruning: false }],
    ['forbidden or failed to load', { desired, live, error: true }, { status: 'Unknown', requiresPruning: false }],
    ['neither side', {}, { status: null, requiresPruning: false }],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(resourceSyncStatus(input), expected));
  }
});

describe('appSyncStatus', () => {
  it('is Synced when every resource is', () => assert.equal(appSyncStatus([{ status: 'Synced' }, { status: null }]), 'Synced'));
  it('is OutOfSync when one resource is', () => assert.equal(appSyncStatus([{ status: 'Synced' }, { status: 'OutOfSync', desired }]), 'OutOfSync'));
  it('is not made OutOfSync by an extraneous object marked IgnoreExtraneous', () => {
    const extraneous = { status: 'OutOfSync' as const, desired: null, live: obj({ 'argocd.argoproj.io/compare-options': 'ServerSideDiff=true, IgnoreExtraneous' }) };
    assert.equal(appSyncStatus([extraneous]), 'Synced');
  });
  it('IgnoreExtraneous does not hide a modified desired object', () => {
    const modified = { status: 'OutOfSync' as const, desired, live: obj({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }) };
    assert.equal(appSyncStatus([modified]), 'OutOfSync');
  });
  it('is OutOfSync when managedNamespaceMetadata changed', () => {
    assert.equal(appSyncStatus([{ status: 'Synced' }], { managedNamespaceMetadataChanged: true }), 'OutOfSync');
  });
  it('is Unknown on a comparison error', () => {
    assert.equal(appSyncStatus([{ status: 'OutOfSync', desired }], { comparisonError: true }), 'Unknown');
  });
});
