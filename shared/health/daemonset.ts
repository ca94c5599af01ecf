/** Health of apps/v1 DaemonSets (SPEC-sync §4.2). */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { field, health, num, str } from './util.ts';

/**
 * Spec not observed → Progressing; OnDelete → Healthy; pods not all updated and available → Progressing.
 * @example daemonSetHealth(ds) // { status: 'Healthy' }
 */
export function daemonSetHealth(obj: KubeObject): HealthStatus {
  const name = obj.metadata.name ?? '';
  if (num(obj.metadata.generation) > num(field(obj, 'status', 'observedGeneration'))) {
    return health('Progressing', 'waiting for rollout to finish: observed daemon set generation less than desired generation');
  }
  const updated = num(field(obj, 'status', 'updatedNumberScheduled'));
  const desired = num(field(obj, 'status', 'desiredNumberScheduled'));
  const available = num(field(obj, 'status', 'numberAvailable'));
  if (str(field(obj, 'spec', 'updateStrategy', 'type')) === 'OnDelete') {
    return health('Healthy', `daemon set ${updated} out of ${desired} new pods have been updated`);
  }
  if (updated < desired) {
    return health('Progressing', `waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated`);
  }
  if (available < desired) {
    return health('Progressing', `waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available`);
  }
  return health('Healthy');
}
