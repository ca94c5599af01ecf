/** Health of argoproj.io Workflows (SPEC-sync §2.5 and §4.2), read from `status.phase`. */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { field, health, str } from './util.ts';

/**
 * Empty, Pending or Running → Progressing; Succeeded → Healthy; Failed or Error → Degraded; else Unknown.
 * @example workflowHealth({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: {}, status: { phase: 'Failed' } }) // Degraded
 */
export function workflowHealth(obj: KubeObject): HealthStatus {
  const message = str(field(obj, 'status', 'message'));
  switch (str(field(obj, 'status', 'phase'))) {
    case '':
    case 'Pending':
    case 'Running':
      return health('Progressing', message);
    case 'Succeeded':
      return health('Healthy', message);
    case 'Failed':
    case 'Error':
      return health('Degraded', message);
    default:
      return health('Unknown', message);
  }
}
