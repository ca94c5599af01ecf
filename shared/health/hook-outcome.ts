/**
 * Hook completion (SPEC-sync §2.5), derived from health for the tick of §1.7: a hook is running,
 * succeeded or failed. Jobs are read from their conditions, so a resumed Job that has not completed
 * is still running (its health already reads Healthy).
 */
import { groupOf, type KubeObject } from '../model/object.ts';
import { customCheckFor, healthOf, isPendingDeletion, type HealthOptions } from './health.ts';
import { conditionsOf, findCondition } from './util.ts';

/** Where a hook stands. */
export type HookPhase = 'running' | 'succeeded' | 'failed';

/** A hook's phase and the message that explains it. */
export interface HookOutcome {
  phase: HookPhase;
  message: string;
}

function jobOutcome(obj: KubeObject): HookOutcome {
  const conditions = conditionsOf(obj);
  const failed = findCondition(conditions, 'Failed');
  if (failed) return { phase: 'failed', message: failed.message || 'job failed' };
  const complete = findCondition(conditions, 'Complete');
  if (complete) return { phase: 'succeeded', message: complete.message || 'job completed' };
  return { phase: 'running', message: 'job is running' };
}

function isPlainJob(obj: KubeObject, options: HealthOptions): boolean {
  return groupOf(obj.apiVersion) === 'batch' && obj.kind === 'Job' && !isPendingDeletion(obj)
    && customCheckFor(obj, options) === undefined;
}

/**
 * The phase of a live hook object: Healthy → succeeded; Degraded or Unknown → failed; other health
 * → running; a kind with no health check → succeeded once created.
 * @example hookOutcome(jobWithFailedCondition) // { phase: 'failed', message: 'BackoffLimitExceeded ...' }
 * @example hookOutcome({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }) // { phase: 'succeeded', message: 'x created' }
 */
export function hookOutcome(obj: KubeObject, options: HealthOptions = {}): HookOutcome {
  if (isPlainJob(obj, options)) return jobOutcome(obj);
  const health = healthOf(obj, options);
  if (health === null) return { phase: 'succeeded', message: `${obj.metadata.name ?? ''} created` };
  const message = health.message ?? '';
  switch (health.status) {
    case 'Healthy':
      return { phase: 'succeeded', message };
    case 'Degraded':
    case 'Unknown':
      return { phase: 'failed', message };
    default:
      return { phase: 'running', message };
  }
}
