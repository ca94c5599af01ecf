/**
 * Health vocabulary (SPEC-sync §4.1). Ordered best to worst; an Application's health is the worst of
 * its resources'. `null` health (a kind with no check) is not Healthy: it counts for nothing.
 */

/** Health status codes, best to worst. */
export const HEALTH_ORDER = ['Healthy', 'Suspended', 'Progressing', 'Missing', 'Degraded', 'Unknown'] as const;

/**
 * - Healthy: the object is what it should be.
 * - Suspended: paused or suspended on purpose (a paused Deployment, a suspended Job).
 * - Progressing: not yet healthy, may still become so.
 * - Missing: desired but absent from the cluster.
 * - Degraded: failed, or cannot become healthy without a change.
 * - Unknown: the check failed or the version is not supported.
 */
export type HealthStatusCode = (typeof HEALTH_ORDER)[number];

/** The health of one object. */
export interface HealthStatus {
  status: HealthStatusCode;
  message?: string;
}
