/** Health of apps/v1 ReplicaSets (SPEC-sync §4.2). */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, field, findCondition, health, num } from './util.ts';

/**
 * Spec not observed → Progressing; ReplicaFailure True → Degraded; too few available → Progressing.
 * @example replicaSetHealth(rs) // { status: 'Healthy' }
 */
export function replicaSetHealth(obj: KubeObject): HealthStatus {
  if (num(obj.metadata.generation) > num(field(obj, 'status', 'observedGeneration'))) {
    return health('Progressing', 'waiting for rollout to finish: observed replica set generation less than desired generation');
  }
  const failure = findCondition(conditionsOf(obj), 'ReplicaFailure');
  if (failure?.status === 'True') return health('Degraded', failure.message);
  const wanted = field(obj, 'spec', 'replicas');
  const available = num(field(obj, 'status', 'availableReplicas'));
  if (typeof wanted === 'number' && available < wanted) {
    return health('Progressing', `waiting for rollout to finish: ${available} out of ${wanted} new replicas are available`);
  }
  return health('Healthy');
}
