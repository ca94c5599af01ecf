import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeConflicts, parseApplyConflicts } from '../../shared/kube/conflicts.ts';

// Status bodies in the shape the API server returns for a server-side apply conflict.
describe('parseApplyConflicts', () => {
  it('reads the managers and fields from the FieldManagerConflict causes', () => {
    const conflicts = parseApplyConflicts({
      reason: 'Conflict',
      message: 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="web"].image',
      details: {
        causes: [
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
          { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.template.spec.containers[name="web"].image' },
        ],
      },
    });
    assert.deepEqual(conflicts, [
      { manager: 'kubectl-client-side-apply', field: '.spec.replicas' },
      { manager: 'kubectl-client-side-apply', field: '.spec.template.spec.containers[name="web"].image' },
    ]);
  });

  it('falls back to the one-conflict message, a timestamp in it included', () => {
    const conflicts = parseApplyConflicts({
      message: 'Apply failed with 1 conflict: conflict with "argocd-controller" using v1 at 2024-05-06T07:08:09Z: .data.color',
    });
    assert.deepEqual(conflicts, [{ manager: 'argocd-controller', field: '.data.color' }]);
  });

  it('falls back to the several-managers message', () => {
    const conflicts = parseApplyConflicts({
      message: 'Apply failed with 3 conflicts: conflicts with "helm":\n- .data.a\n- .data.b\nconflicts with "kubectl" with subresource "status" using v1:\n- .status.x',
    });
    assert.deepEqual(conflicts, [
      { manager: 'helm', field: '.data.a' },
      { manager: 'helm', field: '.data.b' },
      { manager: 'kubectl', field: '.status.x' },
    ]);
  });

  it('returns nothing for a 409 that is not an apply conflict', () => {
    assert.deepEqual(parseApplyConflicts({ message: 'Operation cannot be fulfilled on configmaps "x": the object has been modified' }), []);
  });
});

describe('describeConflicts', () => {
  it('groups fields by manager', () => {
    const text = describeConflicts([
      { manager: 'a', field: '.x' },
      { manager: 'b', field: '.y' },
      { manager: 'a', field: '.z' },
    ]);
    assert.equal(text, 'a (.x, .z); b (.y)');
  });
});
