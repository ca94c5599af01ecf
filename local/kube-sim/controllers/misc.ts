/**
 * The status other controllers give kinds users deploy beside their workloads, so that health checks
 * settle: a CronJob gets an (empty) status, a HorizontalPodAutoscaler its AbleToScale / ScalingActive
 * conditions (in `status.conditions`, and for autoscaling/v1 objects in the annotation Argo CD reads),
 * a PodDisruptionBudget its DisruptionAllowed condition.
 */
import type { Obj } from '../store.ts';
import type { Runtime } from './runtime.ts';
import { setCondition } from './runtime.ts';

const HPA_CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';

function cronJob(rt: Runtime, obj: Obj): void {
  if (obj.status === undefined) rt.writeStatus(rt.type('batch', 'v1', 'CronJob'), obj, {});
}

function hpaConditions(now: string): Obj[] {
  let conditions = setCondition([], { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size' }, now);
  conditions = setCondition(conditions, { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count' }, now);
  return setCondition(conditions, { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' }, now);
}

function autoscaler(rt: Runtime, obj: Obj): void {
  if (obj.status?.conditions?.length || obj.metadata.annotations?.[HPA_CONDITIONS_ANNOTATION]) return;
  const now = rt.cluster.now();
  const replicas = obj.spec?.minReplicas ?? 1;
  const conditions = hpaConditions(now);
  const version = obj.apiVersion === 'autoscaling/v1' ? 'v1' : 'v2';
  const type = rt.type('autoscaling', version, 'HorizontalPodAutoscaler');
  let live = obj;
  if (version === 'v1') {
    live = rt.writeMain(type, obj, { ...obj, metadata: { ...obj.metadata, annotations: { ...(obj.metadata.annotations ?? {}), [HPA_CONDITIONS_ANNOTATION]: JSON.stringify(conditions) } } });
  }
  rt.writeStatus(type, live, { currentReplicas: replicas, desiredReplicas: replicas, ...(version === 'v2' ? { conditions } : {}) });
}

function disruptionBudget(rt: Runtime, obj: Obj): void {
  if (obj.status?.observedGeneration === obj.metadata.generation) return;
  const conditions = setCondition(obj.status?.conditions, { type: 'DisruptionAllowed', status: 'True', reason: 'SufficientPods', message: '', observedGeneration: obj.metadata.generation }, rt.cluster.now());
  rt.writeStatus(rt.type('policy', 'v1', 'PodDisruptionBudget'), obj, { observedGeneration: obj.metadata.generation, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1, disruptionsAllowed: 1, conditions });
}

const BY_RESOURCE: Record<string, (rt: Runtime, obj: Obj) => void> = {
  'batch/cronjobs': cronJob,
  'autoscaling/horizontalpodautoscalers': autoscaler,
  'policy/poddisruptionbudgets': disruptionBudget,
};

/** Gives these kinds their status on the next turn after they are written. */
export function reconcileMisc(rt: Runtime, resource: string, obj: Obj): void {
  const handler = BY_RESOURCE[resource];
  if (!handler) return;
  const { namespace = '', name } = obj.metadata;
  rt.enqueue(`${resource}:${namespace}/${name}`, () => {
    const live = rt.cluster.store.get(resource, namespace, name);
    if (live && !live.metadata.deletionTimestamp) handler(rt, live);
  });
}
