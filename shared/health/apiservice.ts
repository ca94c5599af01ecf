/** Health of apiregistration.k8s.io APIServices, v1 and v1beta1 (SPEC-sync §4.2). Never Degraded. */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, findCondition, health } from './util.ts';

/**
 * `Available` True → Healthy; otherwise Progressing.
 * @example apiServiceHealth(apiServiceWithoutConditions) // { status: 'Progressing', message: 'Waiting to be processed' }
 */
export function apiServiceHealth(obj: KubeObject): HealthStatus {
  const available = findCondition(conditionsOf(obj), 'Available');
  if (!available) return health('Progressing', 'Waiting to be processed');
  const message = `${available.reason}: ${available.message}`;
  return health(available.status === 'True' ? 'Healthy' : 'Progressing', message);
}
