/**
 * Health of CustomResourceDefinitions (SPEC-sync §4.2: Argo CD ships it as a bundled Lua check, gitwave
 * builds it in). A CRD must be Established before its custom resources can be applied.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { conditionsOf, findCondition, health } from './util.ts';

/**
 * Terminating or no conditions → Progressing; names refused or non-structural schema → Degraded;
 * Established → Healthy; still installing → Progressing; else Degraded.
 * @example crdHealth(establishedCrd) // { status: 'Healthy', message: 'crd is established' }
 */
export function crdHealth(obj: KubeObject): HealthStatus {
  const conditions = conditionsOf(obj);
  const terminating = findCondition(conditions, 'Terminating');
  if (obj.metadata.deletionTimestamp || terminating?.status === 'True') {
    return health('Progressing', `crd is terminating${terminating?.message ? `: ${terminating.message}` : ''}`);
  }
  if (conditions.length === 0) return health('Progressing', 'waiting for the crd conditions');
  const names = findCondition(conditions, 'NamesAccepted');
  if (names?.status === 'False') return health('Degraded', `crd names have not been accepted: ${names.message}`);
  const structural = findCondition(conditions, 'NonStructuralSchema');
  if (structural?.status === 'True') return health('Degraded', `crd schema is not structural: ${structural.message}`);
  const established = findCondition(conditions, 'Established');
  if (established?.status === 'True') return health('Healthy', 'crd is established');
  if (established?.reason === 'Installing') return health('Progressing', 'crd is being installed');
  return health('Degraded', 'crd is not established');
}
