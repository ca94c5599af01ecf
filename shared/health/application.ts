/**
 * The opt-in health check for argoproj.io Applications (SPEC-sync §4.2). Argo CD removed its built-in
 * check in 1.8, so parent apps no longer wait for their children (argo-cd #4577); app-of-apps users add
 * this one back. It is a custom check, not a built-in: without it an Application has no health.
 */
import type { KubeObject } from '../model/object.ts';
import { HEALTH_ORDER, type HealthStatus, type HealthStatusCode } from './types.ts';
import { field, health, str } from './util.ts';

/**
 * Progressing until the child reports `status.health.status`, then that status.
 * @example applicationHealthCheck({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: {}, status: { health: { status: 'Degraded' } } }) // Degraded
 */
export function applicationHealthCheck(obj: KubeObject): HealthStatus {
  const status = str(field(obj, 'status', 'health', 'status'));
  const message = str(field(obj, 'status', 'health', 'message'));
  if (!status) return health('Progressing', 'waiting for the application to report its health');
  if (!(HEALTH_ORDER as readonly string[]).includes(status)) {
    throw new Error(`application reports unknown health status "${status}"`);
  }
  return health(status as HealthStatusCode, message);
}
