/** Health of apps/v1 Deployments (SPEC-sync §4.2), the rollout-status reading of kubectl. */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, field, findCondition, health, num } from './util.ts';

/**
 * Paused → Suspended; spec not yet observed → Progressing; progress deadline exceeded → Degraded;
 * replicas still rolling → Progressing; else Healthy.
 * @example deploymentHealth(deployment) // { status: 'Healthy' }
 */
export function deploymentHealth(obj: KubeObject): HealthStatus {
  if (field(obj, 'spec', 'paused') === true) return health('Suspended', 'deployment is paused');
  if (num(obj.metadata.generation) > num(field(obj, 'status', 'observedGeneration'))) {
    return health('Progressing', 'waiting for rollout to finish: observed deployment generation less than desired generation');
  }
  const progressing = findCondition(conditionsOf(obj), 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return health('Degraded', `deployment "${obj.metadata.name ?? ''}" exceeded its progress deadline`);
  }
  return replicaHealth(obj);
}

function replicaHealth(obj: KubeObject): HealthStatus {
  const wanted = field(obj, 'spec', 'replicas');
  const updated = num(field(obj, 'status', 'updatedReplicas'));
  const total = num(field(obj, 'status', 'replicas'));
  const available = num(field(obj, 'status', 'availableReplicas'));
  if (typeof wanted === 'number' && updated < wanted) {
    return health('Progressing', `waiting for rollout to finish: ${updated} out of ${wanted} new replicas have been updated`);
  }
  if (total > updated) {
    return health('Progressing', `waiting for rollout to finish: ${total - updated} old replicas are pending termination`);
  }
  if (available < updated) {
    return health('Progressing', `waiting for rollout to finish: ${available} of ${updated} updated replicas are available`);
  }
  return health('Healthy');
}
