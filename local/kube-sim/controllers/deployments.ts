/**
 * Deployments and ReplicaSets. A Deployment owns one ReplicaSet per pod template (named after the
 * template's hash, revision-annotated); the new one is scaled to the desired replicas, the old ones to
 * zero once the new one is available. A ReplicaSet keeps its pod count and reports ready/available
 * pods. Status fields and conditions (Available, Progressing) are those Argo CD's health reads.
 */
import type { Obj } from '../store.ts';
import { createPod, deletePod, isReady, podsOf } from './pods.ts';
import type { Runtime } from './runtime.ts';
import { controllerOf, ownerReference, setCondition, templateHash } from './runtime.ts';

const REVISION = 'deployment.kubernetes.io/revision';

function rsType(rt: Runtime) {
  return rt.type('apps', 'v1', 'ReplicaSet');
}

export function reconcileReplicaSet(rt: Runtime, namespace: string, name: string): void {
  const rs = rt.cluster.store.get('apps/replicasets', namespace, name);
  if (!rs || rs.metadata.deletionTimestamp) return;
  const desired = rs.spec?.replicas ?? 1;
  const pods = podsOf(rt, rs);
  for (let i = pods.length; i < desired; i++) pods.push(createPod(rt, rs, rt.cluster.generateName(`${name}-`), rs.spec?.template));
  for (const extra of pods.splice(desired)) deletePod(rt, extra);
  const ready = pods.filter(isReady).length;
  const live = rt.cluster.store.get('apps/replicasets', namespace, name)!;
  rt.writeStatus(rsType(rt), live, {
    replicas: pods.length,
    fullyLabeledReplicas: pods.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: live.metadata.generation,
  });
  const owner = controllerOf(live);
  if (owner?.kind === 'Deployment') rt.enqueue(`deploy:${namespace}/${owner.name}`, () => reconcileDeployment(rt, namespace, owner.name));
}

function replicaSetsOf(rt: Runtime, d: Obj): Obj[] {
  return rt.cluster.store.filter('apps/replicasets', d.metadata.namespace, (rs) => controllerOf(rs)?.uid === d.metadata.uid);
}

function newReplicaSet(rt: Runtime, d: Obj, name: string, hash: string, revision: number): Obj {
  const selector = d.spec.selector ?? {};
  const template = d.spec.template ?? {};
  return rt.create(rsType(rt), {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
      annotations: { [REVISION]: String(revision), 'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1) },
      ownerReferences: [ownerReference(d)],
    },
    spec: {
      replicas: d.spec.replicas ?? 1,
      minReadySeconds: d.spec.minReadySeconds ?? 0,
      selector: { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), 'pod-template-hash': hash } },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash } } },
    },
  });
}

function scaleTo(rt: Runtime, rs: Obj, replicas: number): void {
  if (rs.spec?.replicas !== replicas) rt.writeMain(rsType(rt), rs, { ...rs, spec: { ...rs.spec, replicas } });
}

export function reconcileDeployment(rt: Runtime, namespace: string, name: string): void {
  let d = rt.cluster.store.get('apps/deployments', namespace, name);
  if (!d || d.metadata.deletionTimestamp) return;
  const replicas = d.spec?.replicas ?? 1;
  const hash = templateHash(d.spec?.template);
  const owned = replicaSetsOf(rt, d);
  let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
  const old = owned.filter((rs) => rs !== current);
  if (!d.spec?.paused) {
    if (!current) {
      const revision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0))) + 1;
      current = newReplicaSet(rt, d, `${name}-${hash}`, hash, revision);
    } else scaleTo(rt, current, replicas);
    const currentAvailable = (current.status?.availableReplicas ?? 0) >= replicas;
    if (currentAvailable) for (const rs of old) scaleTo(rt, rs, 0);
    const revision = current.metadata.annotations?.[REVISION];
    if (revision && d.metadata.annotations?.[REVISION] !== revision) {
      d = rt.writeMain(rt.type('apps', 'v1', 'Deployment'), d, { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: revision } } });
    }
  }
  writeDeploymentStatus(rt, d, current, old);
}

function writeDeploymentStatus(rt: Runtime, d: Obj, current: Obj | undefined, old: Obj[]): void {
  const all = [...(current ? [current] : []), ...old];
  const sum = (field: string) => all.reduce((n, rs) => n + (rs.status?.[field] ?? 0), 0);
  const replicas = d.spec?.replicas ?? 1;
  const available = sum('availableReplicas');
  const updated = current?.status?.replicas ?? 0;
  const now = rt.cluster.now();
  const done = updated === replicas && (current?.status?.availableReplicas ?? 0) >= replicas && old.every((rs) => (rs.status?.replicas ?? 0) === 0);
  const rsName = current?.metadata.name ?? d.metadata.name;
  let conditions = setCondition(d.status?.conditions, available >= replicas
    ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
    : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now, true);
  conditions = setCondition(conditions, d.spec?.paused
    ? { type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }
    : done
      ? { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rsName}" has successfully progressed.` }
      : { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rsName}" is progressing.` }, now, true);
  rt.writeStatus(rt.type('apps', 'v1', 'Deployment'), d, {
    observedGeneration: d.metadata.generation,
    replicas: sum('replicas'),
    updatedReplicas: updated,
    readyReplicas: sum('readyReplicas'),
    availableReplicas: available,
    ...(replicas - available > 0 ? { unavailableReplicas: replicas - available } : {}),
    conditions,
  });
}
