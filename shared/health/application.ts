/**
 * The opt-in health check for argoproj.io Applications (SPEC-sync §4.2). Argo CD removed its built-in
 * check in 1.8, so parent apps no longer wait for their children (argo-cd #4577); app-of-apps users add
 * this one back. It is a custom check, not a built-in: without it an Application has no health.
 */
import type { KubeObject } from '../model/object.ts';
import { HEALTH_ORDER, type HealthStatus, type HealthStatusCode } from './types.ts';
import { field, health, str } from './util.ts';

/**
 * Progressing until the child reports `status.health.status`, then that status; a child that reports
 * Healthy but is not Synced (or still runs an operation) is Progressing, so the next wave of an app of
 * apps starts only when the child deployed what its parent just registered (docs/app-of-apps.md).
 * @example applicationHealthCheck({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: {}, status: { health: { status: 'Degraded' } } }) // Degraded
 */
export function applicationHealthCheck(obj: KubeObject): HealthStatus {
  const status = str(field(obj, 'status', 'health', 'status'));
  const message = str(field(obj, 'status', 'health', 'message'));
  if (!status) return health('Progressing', 'waiting for the application to report its health');
  if (!(HEALTH_ORDER as readonly string[]).includes(status)) {
    throw new Error(`application reports unknown health status "${status}"`);
  }
  const sync = str(field(obj, 'status', 'sync', 'status'));
  const operation = str(field(obj, 'status', 'operationState', 'phase'));
  if (status === 'Healthy' && sync !== '' && sync !== 'Synced') return health('Progressing', `waiting for the application to sync (${sync})`);
  if (status === 'Healthy' && operation === 'Running') return health('Progressing', 'waiting for the application\'s sync to finish');
  return health(status as HealthStatusCode, message);
}
