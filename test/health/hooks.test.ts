// Hook completion (SPEC-sync §2.5).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hookOutcome, type HookPhase } from '../../shared/health/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const job = (conditions: object[], metadata: object = {}): KubeObject =>
  ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', ...metadata }, status: { conditions } });
const pod = (phase: string, restartPolicy = 'Never', extra: object = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { restartPolicy }, status: { phase, ...extra } });
const workflow = (phase?: string): KubeObject =>
  ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { name: 'w' }, status: phase ? { phase } : {} });

describe('hookOutcome (§2.5)', () => {
  const cases: Array<[string, KubeObject, HookPhase, object?]> = [
    ['job failed', job([{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }]), 'failed'],
    ['job complete', job([{ type: 'Complete', status: 'True' }]), 'succeeded'],
    ['job without conditions', job([]), 'running'],
    ['job suspended', job([{ type: 'Suspended', status: 'True' }]), 'running'],
    ['job resumed but not complete', job([{ type: 'Suspended', status: 'False' }]), 'running'],
    ['job pending deletion', job([{ type: 'Complete', status: 'True' }], { deletionTimestamp: '2024-01-01T00:00:00Z' }), 'running'],
    ['job held by the hook finalizer', job([{ type: 'Complete', status: 'True' }], { deletionTimestamp: '2024-01-01T00:00:00Z', finalizers: ['argocd.argoproj.io/hook-finalizer'] }), 'succeeded'],
    ['pod succeeded', pod('Succeeded'), 'succeeded'],
    ['pod failed', pod('Failed'), 'failed'],
    ['pod running to completion', pod('Running'), 'running'],
    ['pod waiting on its image is not failed', pod('Pending', 'Never', { containerStatuses: [{ state: { waiting: { reason: 'ImagePullBackOff' } } }] }), 'running'],
    ['workflow succeeded', workflow('Succeeded'), 'succeeded'],
    ['workflow error', workflow('Error'), 'failed'],
    ['workflow failed', workflow('Failed'), 'failed'],
    ['workflow empty phase', workflow(), 'running'],
    ['workflow pending', workflow('Pending'), 'running'],
    ['no health check: done once created', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } }, 'succeeded'],
    ['custom check Healthy', job([]), 'succeeded', { customChecks: { 'batch_Job': () => ({ status: 'Healthy' }) } }],
    ['custom check Unknown', job([]), 'failed', { customChecks: { 'batch_Job': () => ({ status: 'Unknown' }) } }],
    ['custom check Suspended', job([]), 'running', { customChecks: { 'batch_Job': () => ({ status: 'Suspended' }) } }],
  ];
  for (const [name, obj, phase, options] of cases) {
    it(`${name} → ${phase}`, () => assert.equal(hookOutcome(obj, options).phase, phase));
  }
  it('says why a hook failed', () => {
    assert.match(hookOutcome(job([{ type: 'Failed', status: 'True', message: 'BackoffLimitExceeded' }])).message, /BackoffLimitExceeded/);
  });
});
