/**
 * Cloud-provider parts: a LoadBalancer Service and an Ingress get an address after the rollout delay
 * (Argo CD reads them as Progressing until then), and a PersistentVolumeClaim binds to a volume.
 */
import type { Obj } from '../store.ts';
import type { Runtime } from './runtime.ts';

function hostname(obj: Obj, kind: string): string {
  return `${obj.metadata.name}-${obj.metadata.namespace}.${kind}.sim.gitwave.dev`;
}

function withAddress(rt: Runtime, resource: string, group: string, kind: string, obj: Obj): void {
  if ((obj.status?.loadBalancer?.ingress ?? []).length) return;
  rt.after(`${kind}:${obj.metadata.uid}`, rt.cluster.settings.rolloutDelaySeconds, () => {
    const live = rt.cluster.store.get(resource, obj.metadata.namespace, obj.metadata.name);
    if (!live || live.metadata.uid !== obj.metadata.uid) return;
    if (kind === 'lb' && live.spec?.type !== 'LoadBalancer') return;
    rt.writeStatus(rt.type(group, 'v1', live.kind), live, { ...(live.status ?? {}), loadBalancer: { ingress: [{ hostname: hostname(live, kind) }] } });
  });
}

export function reconcileService(rt: Runtime, svc: Obj): void {
  if (svc.spec?.type === 'LoadBalancer') withAddress(rt, '/services', '', 'lb', svc);
}

export function reconcileIngress(rt: Runtime, ingress: Obj): void {
  withAddress(rt, 'networking.k8s.io/ingresses', 'networking.k8s.io', 'ingress', ingress);
}

export function reconcileClaim(rt: Runtime, claim: Obj): void {
  if (claim.status?.phase === 'Bound') return;
  rt.after(`pvc:${claim.metadata.uid}`, rt.cluster.settings.rolloutDelaySeconds, () => {
    const live = rt.cluster.store.get('/persistentvolumeclaims', claim.metadata.namespace, claim.metadata.name);
    if (!live || live.metadata.uid !== claim.metadata.uid || live.metadata.deletionTimestamp) return;
    rt.writeStatus(rt.type('', 'v1', 'PersistentVolumeClaim'), live, {
      phase: 'Bound',
      accessModes: live.spec?.accessModes ?? ['ReadWriteOnce'],
      capacity: { storage: live.spec?.resources?.requests?.storage ?? '1Gi' },
    });
  });
}
