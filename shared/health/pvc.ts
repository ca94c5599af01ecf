/**
 * Health of PersistentVolumeClaims (SPEC-sync §4.2). A WaitForFirstConsumer claim stays Pending, hence
 * Progressing, until a pod uses it (argo-cd #29201).
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { field, health } from './util.ts';

/**
 * Bound → Healthy; Pending → Progressing; Lost → Degraded; anything else → Unknown.
 * @example pvcHealth({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: {}, status: { phase: 'Bound' } }) // Healthy
 */
export function pvcHealth(obj: KubeObject): HealthStatus {
  switch (field(obj, 'status', 'phase')) {
    case 'Bound':
      return health('Healthy');
    case 'Pending':
      return health('Progressing', 'waiting for the claim to be bound');
    case 'Lost':
      return health('Degraded', 'the claim lost its volume');
    default:
      return health('Unknown');
  }
}
