/**
 * Health of batch/v1 Jobs (SPEC-sync §4.2). Only the condition *type* decides Failed and Complete; a
 * `Suspended` condition of any status counts as finished, so a resumed Job reads Healthy.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, findCondition, health } from './util.ts';

/**
 * Failed → Degraded; Suspended True → Suspended; Complete or Suspended → Healthy; else Progressing.
 * @example jobHealth(jobWithCompleteCondition) // { status: 'Healthy' }
 */
export function jobHealth(obj: KubeObject): HealthStatus {
  const conditions = conditionsOf(obj);
  const failed = findCondition(conditions, 'Failed');
  if (failed) return health('Degraded', failed.message);
  const suspended = findCondition(conditions, 'Suspended');
  if (suspended?.status === 'True') return health('Suspended', suspended.message);
  const complete = findCondition(conditions, 'Complete');
  if (complete) return health('Healthy', complete.message);
  if (suspended) return health('Healthy', suspended.message);
  return health('Progressing');
}
