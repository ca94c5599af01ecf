/**
 * Health of apps/v1 StatefulSets (SPEC-sync §4.2). Never Degraded: a StatefulSet with crash-looping
 * pods stays Progressing (argo-cd #17314), as Argo CD reports it.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { field, health, num, str } from './util.ts';

/**
 * Spec not observed or pods not ready → Progressing; then the update strategy decides.
 * @example statefulSetHealth(sts) // { status: 'Progressing', message: 'waiting for 2 pods to be ready' }
 */
export function statefulSetHealth(obj: KubeObject): HealthStatus {
  const observed = num(field(obj, 'status', 'observedGeneration'));
  if (observed === 0 || num(obj.metadata.generation) > observed) {
    return health('Progressing', 'waiting for statefulset spec update to be observed');
  }
  const wanted = field(obj, 'spec', 'replicas');
  const ready = num(field(obj, 'status', 'readyReplicas'));
  if (typeof wanted === 'number' && ready < wanted) {
    return health('Progressing', `waiting for ${wanted - ready} pods to be ready`);
  }
  return strategyHealth(obj, wanted);
}

function strategyHealth(obj: KubeObject, wanted: unknown): HealthStatus {
  const strategy = str(field(obj, 'spec', 'updateStrategy', 'type'));
  const rolling = field(obj, 'spec', 'updateStrategy', 'rollingUpdate');
  const updated = num(field(obj, 'status', 'updatedReplicas'));
  if (strategy === 'RollingUpdate' && rolling !== undefined && rolling !== null) {
    const partition = field(rolling, 'partition');
    if (typeof wanted === 'number' && typeof partition === 'number' && updated < wanted - partition) {
      return health('Progressing', `waiting for partitioned roll out to finish: ${updated} out of ${wanted - partition} new pods have been updated`);
    }
    return health('Healthy', `partitioned roll out complete: ${updated} new pods have been updated`);
  }
  if (strategy === 'OnDelete') {
    return health('Healthy', `statefulset has ${num(field(obj, 'status', 'readyReplicas'))} ready pods`);
  }
  const current = str(field(obj, 'status', 'currentRevision'));
  const next = str(field(obj, 'status', 'updateRevision'));
  if (next !== current) {
    return health('Progressing', `waiting for statefulset rolling update to complete ${updated} pods at revision ${next}`);
  }
  return health('Healthy', `statefulset rolling update complete ${num(field(obj, 'status', 'currentReplicas'))} pods at revision ${current}`);
}
