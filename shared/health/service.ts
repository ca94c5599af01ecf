/**
 * Health of core/v1 Services and of Ingresses (SPEC-sync §4.2): both wait on `status.loadBalancer`.
 * An Ingress whose controller never writes an address stays Progressing forever (argo-cd #14607).
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { field, health, objects } from './util.ts';

function hasLoadBalancerAddress(obj: KubeObject): boolean {
  return objects(field(obj, 'status', 'loadBalancer', 'ingress')).length > 0;
}

/**
 * A LoadBalancer Service without an address → Progressing; every other Service → Healthy.
 * @example serviceHealth({ apiVersion: 'v1', kind: 'Service', metadata: {}, spec: { type: 'ClusterIP' } }) // Healthy
 */
export function serviceHealth(obj: KubeObject): HealthStatus {
  if (field(obj, 'spec', 'type') === 'LoadBalancer' && !hasLoadBalancerAddress(obj)) {
    return health('Progressing', 'waiting for the load balancer to get an address');
  }
  return health('Healthy');
}

/**
 * An Ingress with an address → Healthy; otherwise Progressing.
 * @example ingressHealth(ingressWithoutStatus) // { status: 'Progressing', ... }
 */
export function ingressHealth(obj: KubeObject): HealthStatus {
  if (hasLoadBalancerAddress(obj)) return health('Healthy');
  return health('Progressing', 'waiting for the ingress to get an address');
}
