/**
 * StatefulSets (pods `<name>-0…n-1`, replaced when the template's revision changes, current and update
 * revisions reported) and DaemonSets (one pod on the simulated node). Status fields are those Argo CD's
 * health rules read: observedGeneration, ready/updated counts, revisions.
 */
import type { Obj } from '../store.ts';
import { createPod, deletePod, isReady, podsOf } from './pods.ts';
import type { Runtime } from './runtime.ts';
import { templateHash } from './runtime.ts';

const REVISION_LABEL = 'controller-revision-hash';

export function reconcileStatefulSet(rt: Runtime, namespace: string, name: string): void {
  const sts = rt.cluster.store.get('apps/statefulsets', namespace, name);
  if (!sts || sts.metadata.deletionTimestamp) return;
  const replicas = sts.spec?.replicas ?? 1;
  const revision = `${name}-${templateHash(sts.spec?.template)}`;
  const wanted = new Set(Array.from({ length: replicas }, (_, i) => `${name}-${i}`));
  let pods = podsOf(rt, sts);
  for (const pod of pods) {
    if (!wanted.has(pod.metadata.name) || pod.metadata.labels?.[REVISION_LABEL] !== revision) deletePod(rt, pod);
  }
  pods = podsOf(rt, sts);
  for (let i = 0; i < replicas; i++) {
    const podName = `${name}-${i}`;
    if (pods.some((p) => p.metadata.name === podName)) continue;
    if (rt.cluster.store.get('/pods', namespace, podName)) continue;
    const labels = { [REVISION_LABEL]: revision, 'statefulset.kubernetes.io/pod-name': podName, 'apps.kubernetes.io/pod-index': String(i) };
    pods.push(createPod(rt, sts, podName, sts.spec?.template, labels));
  }
  const ready = pods.filter(isReady).length;
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_LABEL] === revision).length;
  const live = rt.cluster.store.get('apps/statefulsets', namespace, name)!;
  const rolledOut = updated === replicas && ready === replicas;
  rt.writeStatus(rt.type('apps', 'v1', 'StatefulSet'), live, {
    observedGeneration: live.metadata.generation,
    replicas: pods.length,
    readyReplicas: ready,
    currentReplicas: rolledOut ? replicas : pods.length - updated,
    updatedReplicas: updated,
    availableReplicas: ready,
    currentRevision: rolledOut ? revision : (live.status?.currentRevision ?? revision),
    updateRevision: revision,
    collisionCount: 0,
  });
}

export function reconcileDaemonSet(rt: Runtime, namespace: string, name: string): void {
  const ds = rt.cluster.store.get('apps/daemonsets', namespace, name);
  if (!ds || ds.metadata.deletionTimestamp) return;
  const revision = templateHash(ds.spec?.template);
  let pods = podsOf(rt, ds);
  for (const stale of pods.filter((p: Obj) => p.metadata.labels?.[REVISION_LABEL] !== revision)) deletePod(rt, stale);
  pods = podsOf(rt, ds);
  if (!pods.length) {
    const labels = { [REVISION_LABEL]: revision, 'pod-template-generation': String(ds.metadata.generation ?? 1) };
    pods.push(createPod(rt, ds, rt.cluster.generateName(`${name}-`), ds.spec?.template, labels));
  }
  const ready = pods.filter(isReady).length;
  const live = rt.cluster.store.get('apps/daemonsets', namespace, name)!;
  rt.writeStatus(rt.type('apps', 'v1', 'DaemonSet'), live, {
    observedGeneration: live.metadata.generation,
    desiredNumberScheduled: 1,
    currentNumberScheduled: pods.length,
    updatedNumberScheduled: pods.length,
    numberReady: ready,
    numberAvailable: ready,
    ...(ready < 1 ? { numberUnavailable: 1 - ready } : {}),
    numberMisscheduled: 0,
  });
}
