/**
 * Pods, as the scheduler and kubelet would move them: scheduled on the simulated node at once,
 * Running and Ready after the rollout delay (long-running pods), or, for standalone pods that do not
 * restart (Argo CD hook pods), Running at once and Succeeded (or Failed, when annotated
 * `sim.gitwave.dev/outcome: fail`) after `sim.gitwave.dev/duration` seconds. Job pods are the Job
 * controller's. Also the helpers workload controllers use to create and delete their pods.
 */
import { SIM_NODE } from '../bootstrap.ts';
import { deleteObject } from '../delete.ts';
import type { Obj, StoreEvent } from '../store.ts';
import { recordEvent } from './events.ts';
import type { Runtime } from './runtime.ts';
import { controllerOf, ownerReference, secondsFrom } from './runtime.ts';

export const OUTCOME_ANNOTATION = 'sim.gitwave.dev/outcome';
export const DURATION_ANNOTATION = 'sim.gitwave.dev/duration';
const PODS = '/pods';

let ipCounter = 1;

function podType(rt: Runtime) {
  return rt.type('', 'v1', 'Pod');
}

export function isReady(pod: Obj): boolean {
  return (pod.status?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');
}

/** The pods an owner controls, in its namespace, not being deleted. */
export function podsOf(rt: Runtime, owner: Obj): Obj[] {
  const pods = rt.cluster.store.filter(PODS, owner.metadata.namespace, (p) => controllerOf(p)?.uid === owner.metadata.uid && !p.metadata.deletionTimestamp);
  return pods.sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
}

/** The controller that reports an owner's pod events. */
function componentOf(kind: string): string {
  return `${kind.toLowerCase()}-controller`;
}

/** Creates a pod from an owner's template, and says so in an Event on the owner (SuccessfulCreate). */
export function createPod(rt: Runtime, owner: Obj, name: string, template: Obj | undefined, labels: Record<string, string> = {}): Obj {
  const meta = template?.metadata ?? {};
  const pod = rt.create(podType(rt), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: owner.metadata.namespace,
      labels: { ...(meta.labels ?? {}), ...labels },
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ownerReferences: [ownerReference(owner)],
    },
    spec: { ...structuredClone(template?.spec ?? { containers: [] }), nodeName: SIM_NODE },
  });
  recordEvent(rt, owner, { reason: 'SuccessfulCreate', message: `Created pod: ${name}`, component: componentOf(owner.kind) });
  recordScheduled(rt, pod);
  return pod;
}

/** Deletes an owned pod (SuccessfulDelete on its owner). */
export function deletePod(rt: Runtime, pod: Obj): void {
  deleteObject(rt.cluster, podType(rt), pod, 'Background', false);
  const owner = controllerOf(pod);
  if (!owner) return;
  const about = { apiVersion: owner.apiVersion, kind: owner.kind, metadata: { name: owner.name, uid: owner.uid, namespace: pod.metadata.namespace } };
  recordEvent(rt, about, { reason: 'SuccessfulDelete', message: `Deleted pod: ${pod.metadata.name}`, component: componentOf(owner.kind) });
}

/** What the scheduler reports once a pod is bound to the simulated node. */
function recordScheduled(rt: Runtime, pod: Obj): void {
  const message = `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${SIM_NODE}`;
  recordEvent(rt, pod, { reason: 'Scheduled', message, component: 'default-scheduler' });
}

/** What the kubelet reports as it starts each container: Pulled, Created, Started. */
function recordContainersStarted(rt: Runtime, pod: Obj): void {
  for (const c of (pod.spec?.containers ?? []) as Obj[]) {
    const fieldPath = `spec.containers{${c.name}}`;
    recordEvent(rt, pod, { reason: 'Pulled', message: `Container image "${c.image}" already present on machine`, component: 'kubelet', fieldPath });
    recordEvent(rt, pod, { reason: 'Created', message: `Created container: ${c.name}`, component: 'kubelet', fieldPath });
    recordEvent(rt, pod, { reason: 'Started', message: `Started container ${c.name}`, component: 'kubelet', fieldPath });
  }
}

function baseStatus(pod: Obj, now: string): Obj {
  return {
    hostIP: '10.0.0.10',
    hostIPs: [{ ip: '10.0.0.10' }],
    podIP: pod.status?.podIP ?? `10.244.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`,
    startTime: pod.status?.startTime ?? now,
    qosClass: pod.status?.qosClass ?? 'BestEffort',
  };
}

function conditions(ready: boolean, now: string, reason?: string): Obj[] {
  const status = ready ? 'True' : 'False';
  return [
    { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: now },
    { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
    { type: 'Ready', status, lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason } : {}) },
    { type: 'ContainersReady', status, lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason } : {}) },
    { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
  ];
}

function containerStatuses(pod: Obj, state: Obj, ready: boolean): Obj[] {
  return (pod.spec?.containers ?? []).map((c: Obj) => ({
    name: c.name,
    image: c.image,
    imageID: `sim://${c.image}`,
    containerID: `sim://${pod.metadata.uid}-${c.name}`,
    ready,
    started: Boolean(state.running),
    restartCount: 0,
    state,
  }));
}

/** Moves a pod to Running (ready or not). */
export function runPod(rt: Runtime, pod: Obj, ready: boolean): void {
  if (pod.status?.phase !== 'Running') recordContainersStarted(rt, pod);
  const now = rt.cluster.now();
  rt.writeStatus(podType(rt), pod, {
    phase: 'Running',
    ...baseStatus(pod, now),
    conditions: conditions(ready, now),
    containerStatuses: containerStatuses(pod, { running: { startedAt: now } }, ready),
  });
}

/** Moves a pod to Succeeded or Failed. */
export function finishPod(rt: Runtime, pod: Obj, failed: boolean): void {
  const now = rt.cluster.now();
  const started = pod.status?.startTime ?? now;
  const terminated = { exitCode: failed ? 1 : 0, reason: failed ? 'Error' : 'Completed', startedAt: started, finishedAt: now };
  rt.writeStatus(podType(rt), pod, {
    phase: failed ? 'Failed' : 'Succeeded',
    ...baseStatus(pod, now),
    conditions: conditions(false, now, failed ? 'PodFailed' : 'PodCompleted'),
    containerStatuses: containerStatuses(pod, { terminated }, false),
  });
}

function current(rt: Runtime, pod: Obj): Obj | undefined {
  const live = rt.cluster.store.get(PODS, pod.metadata.namespace, pod.metadata.name);
  return live && live.metadata.uid === pod.metadata.uid && !live.metadata.deletionTimestamp ? live : undefined;
}

export function reconcilePod(rt: Runtime, event: StoreEvent): void {
  const pod = event.object;
  if (event.type !== 'ADDED' || controllerOf(pod)?.kind === 'Job') return;
  const uid = pod.metadata.uid;
  // A controller's pods are scheduled as they are made (createPod); a bare pod on the next turn.
  if (!controllerOf(pod)) {
    rt.enqueue(`pod-scheduled:${uid}`, () => {
      const live = current(rt, pod);
      if (live) recordScheduled(rt, live);
    });
  }
  const restart = pod.spec?.restartPolicy ?? 'Always';
  if (restart === 'Always' || controllerOf(pod)) {
    rt.after(`pod:${uid}`, rt.cluster.settings.rolloutDelaySeconds, () => {
      const live = current(rt, pod);
      if (live) runPod(rt, live, true);
    });
    return;
  }
  const annotations = pod.metadata.annotations ?? {};
  rt.enqueue(`pod:${uid}`, () => {
    const live = current(rt, pod);
    if (live) runPod(rt, live, false);
  });
  rt.after(`pod-done:${uid}`, secondsFrom(annotations[DURATION_ANNOTATION], 1), () => {
    const live = current(rt, pod);
    if (live) finishPod(rt, live, annotations[OUTCOME_ANNOTATION] === 'fail');
  });
}
