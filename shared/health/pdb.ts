/**
 * Health of policy PodDisruptionBudgets (SPEC-sync §4.2, Argo CD's bundled Lua check). InsufficientPods
 * is not a failure: a budget that allows no disruption can be intended (argo-cd #20171).
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, health } from './util.ts';

/**
 * A condition False for a reason other than InsufficientPods → Degraded; no conditions → Progressing.
 * @example pdbHealth(pdbWithSufficientPods) // { status: 'Healthy' }
 */
export function pdbHealth(obj: KubeObject): HealthStatus {
  const conditions = conditionsOf(obj);
  if (conditions.length === 0) return health('Progressing', 'waiting for status');
  const failing = conditions.find((c) => c.status === 'False' && c.reason !== 'InsufficientPods');
  if (failing) return health('Degraded', `poddisruptionbudget has ${failing.reason}`);
  return health('Healthy');
}
