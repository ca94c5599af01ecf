/**
 * Deployments and ReplicaSets. A Deployment owns one ReplicaSet per pod template (named after the
 * template's hash, `pod-template-hash` label, `deployment.kubernetes.io/revision` annotation); the new
 * one is scaled to the desired replicas, the old ones to zero once the new one is available, and the
 * idle old ones are kept up to `revisionHistoryLimit`. A template that matches an old ReplicaSet
 * (`kubectl rollout undo`) brings that ReplicaSet back with the next revision, as Kubernetes does.
 * Scaling is reported in `ScalingReplicaSet` Events. A ReplicaSet keeps its pod count and reports
 * ready/available pods. Status fields and conditions (Available, Progressing) are those Argo CD's
 * health and `kubectl rollout status` read.
 */
import { deleteObject } from '../delete.ts';
import type { Obj } from '../store.ts';
import { recordEvent } from './events.ts';
import { createPod, deletePod, isReady, podsOf } from './pods.ts';
import type { Runtime } from './runtime.ts';
import { canonical, controllerOf, ownerReference, setCondition, templateHash } from './runtime.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const HASH_LABEL = 'pod-template-hash';
/** Deployment annotations a ReplicaSet does not inherit (client-side state, the controller's own). */
const NOT_COPIED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION, 'deployment.kubernetes.io/revision-history']);

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
  return rt.cluster.store.filter('apps/replicasets', d.metadata.namespace, (rs) => controllerOf(rs)?.uid === d.metadata.uid && !rs.metadata.deletionTimestamp);
}

function revisionOf(obj: Obj): number {
  return Number(obj.metadata.annotations?.[REVISION] ?? 0);
}

/** A ReplicaSet's pod template as the Deployment wrote it (without the hash label), canonical. */
function templateOf(rs: Obj): string {
  const template = structuredClone(rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  return canonical(template);
}

function inheritedAnnotations(d: Obj): Record<string, string> {
  return Object.fromEntries(Object.entries(d.metadata.annotations ?? {}).filter(([key]) => !NOT_COPIED.has(key))) as Record<string, string>;
}

function scaledEvent(rt: Runtime, d: Obj, rs: Obj, from: number, to: number): void {
  const message = `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`;
  recordEvent(rt, d, { reason: 'ScalingReplicaSet', message, component: 'deployment-controller' });
}

function newReplicaSet(rt: Runtime, d: Obj, revision: number): Obj {
  const hash = templateHash(d.spec?.template);
  const selector = d.spec.selector ?? {};
  const template = d.spec.template ?? {};
  const replicas = d.spec.replicas ?? 1;
  const rs = rt.create(rsType(rt), {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${d.metadata.name}-${hash}`,
      namespace: d.metadata.namespace,
      labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash },
      annotations: { ...inheritedAnnotations(d), [REVISION]: String(revision), 'deployment.kubernetes.io/desired-replicas': String(replicas) },
      ownerReferences: [ownerReference(d)],
    },
    spec: {
      replicas,
      minReadySeconds: d.spec.minReadySeconds ?? 0,
      selector: { ...selector, matchLabels: { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash } },
      template: { ...template, metadata: { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } } },
    },
  });
  scaledEvent(rt, d, rs, 0, replicas);
  return rs;
}

function scaleTo(rt: Runtime, d: Obj, rs: Obj, replicas: number): Obj {
  const from = rs.spec?.replicas ?? 1;
  if (from === replicas) return rs;
  const saved = rt.writeMain(rsType(rt), rs, { ...rs, spec: { ...rs.spec, replicas } });
  scaledEvent(rt, d, rs, from, replicas);
  return saved;
}

/** An old template brought back (`rollout undo`): its ReplicaSet becomes the newest revision. */
function promote(rt: Runtime, d: Obj, rs: Obj, revision: number): Obj {
  const annotations = { ...(rs.metadata.annotations ?? {}), ...inheritedAnnotations(d), [REVISION]: String(revision) };
  return rt.writeMain(rsType(rt), rs, { ...rs, metadata: { ...rs.metadata, annotations } });
}

/** Deletes the oldest idle ReplicaSets beyond `revisionHistoryLimit` (default 10). */
function pruneHistory(rt: Runtime, d: Obj, current: Obj): void {
  const limit = d.spec?.revisionHistoryLimit ?? 10;
  const idle = replicaSetsOf(rt, d)
    .filter((rs) => rs.metadata.uid !== current.metadata.uid && (rs.spec?.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0)
    .sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of idle.slice(0, Math.max(0, idle.length - limit))) deleteObject(rt.cluster, rsType(rt), rs, 'Background', false);
}

export function reconcileDeployment(rt: Runtime, namespace: string, name: string): void {
  let d = rt.cluster.store.get('apps/deployments', namespace, name);
  if (!d || d.metadata.deletionTimestamp) return;
  const replicas = d.spec?.replicas ?? 1;
  const wanted = canonical(d.spec?.template);
  const owned = replicaSetsOf(rt, d);
  let current = owned.find((rs) => templateOf(rs) === wanted);
  const old = owned.filter((rs) => rs !== current);
  if (!d.spec?.paused) {
    const newest = Math.max(0, ...old.map(revisionOf));
    if (!current) current = newReplicaSet(rt, d, newest + 1);
    else {
      if (revisionOf(current) <= newest) current = promote(rt, d, current, newest + 1);
      current = scaleTo(rt, d, current, replicas);
    }
    const currentAvailable = (current.status?.availableReplicas ?? 0) >= replicas;
    if (currentAvailable) for (const rs of old) scaleTo(rt, d, rs, 0);
    pruneHistory(rt, d, current);
    const revision = current.metadata.annotations?.[REVISION];
    if (revision && d.metadata.annotations?.[REVISION] !== revision) {
      d = rt.writeMain(rt.type('apps', 'v1', 'Deployment'), d, { ...d, metadata: { ...d.metadata, annotations: { ...(d.metadata.annotations ?? {}), [REVISION]: revision } } });
    }
  }
  writeDeploymentStatus(rt, d, current, replicaSetsOf(rt, d).filter((rs) => rs.metadata.uid !== current?.metadata.uid));
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
