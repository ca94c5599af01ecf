/**
 * Health of HorizontalPodAutoscalers (SPEC-sync §4.2). autoscaling/v1 keeps its conditions in an
 * annotation as a JSON string; v2 (and the retired v2beta1/v2beta2) in `status.conditions`.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, health, toConditions, type Condition } from './util.ts';

const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const WAITING = health('Progressing', 'Waiting to Autoscale');

/** Reasons that mean the autoscaler cannot do its job, per condition type. */
const DEGRADED_REASONS: Record<string, readonly string[]> = {
  AbleToScale: ['FailedGetScale', 'FailedUpdateScale'],
  ScalingActive: [
    'FailedGetResourceMetric', 'FailedGetObjectMetric', 'FailedGetPodsMetric', 'FailedGetExternalMetric',
    'FailedComputeMetricsReplicas', 'InvalidSelector',
  ],
};

function v1Conditions(obj: KubeObject): Condition[] | undefined {
  const text = obj.metadata.annotations?.[CONDITIONS_ANNOTATION];
  if (text === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`annotation ${CONDITIONS_ANNOTATION} is not valid JSON`, { cause: err });
  }
  if (!Array.isArray(parsed)) throw new Error(`annotation ${CONDITIONS_ANNOTATION} is not a JSON list`);
  return toConditions(parsed);
}

/**
 * First match over the conditions in their order, as Argo CD's engine reads them: its own fixture
 * (AbleToScale True listed before a failing ScalingActive) expects Healthy.
 */
function fromConditions(conditions: Condition[]): HealthStatus {
  for (const c of conditions) {
    if (DEGRADED_REASONS[c.type]?.includes(c.reason)) return health('Degraded', c.message);
    if ((c.type === 'AbleToScale' || c.type === 'ScalingLimited') && c.status === 'True') return health('Healthy', c.message);
  }
  return WAITING;
}

/**
 * autoscaling/v1 HPA health from its conditions annotation (none → Progressing).
 * @example hpaV1Health(hpaWithoutAnnotation) // { status: 'Progressing', message: 'Waiting to Autoscale' }
 */
export function hpaV1Health(obj: KubeObject): HealthStatus {
  const conditions = v1Conditions(obj);
  return conditions === undefined ? WAITING : fromConditions(conditions);
}

/**
 * autoscaling/v2 (and v2beta1, v2beta2) HPA health from `status.conditions`.
 * @example hpaV2Health(hpaAbleToScale) // { status: 'Healthy', ... }
 */
export function hpaV2Health(obj: KubeObject): HealthStatus {
  return fromConditions(conditionsOf(obj));
}
