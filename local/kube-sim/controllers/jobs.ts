/**
 * Jobs: one pod runs at once; after `sim.gitwave.dev/duration` seconds (annotation on the Job or its
 * pod template, a decimal string, default "1") the Job completes (SuccessCriteriaMet + Complete) or,
 * when annotated `sim.gitwave.dev/outcome: fail`, fails (FailureTarget + Failed, BackoffLimitExceeded).
 * A suspended Job reports Suspended and runs nothing.
 */
import type { Obj } from '../store.ts';
import { createPod, DURATION_ANNOTATION, finishPod, OUTCOME_ANNOTATION, podsOf, runPod } from './pods.ts';
import { recordEvent } from './events.ts';
import type { Runtime } from './runtime.ts';
import { secondsFrom, setCondition } from './runtime.ts';

function jobType(rt: Runtime) {
  return rt.type('batch', 'v1', 'Job');
}

function annotation(job: Obj, key: string): string | undefined {
  return job.metadata.annotations?.[key] ?? job.spec?.template?.metadata?.annotations?.[key];
}

function finished(job: Obj): boolean {
  return (job.status?.conditions ?? []).some((c: Obj) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function reconcileJob(rt: Runtime, namespace: string, name: string): void {
  const job = rt.cluster.store.get('batch/jobs', namespace, name);
  if (!job || job.metadata.deletionTimestamp || finished(job)) return;
  const now = rt.cluster.now();
  if (job.spec?.suspend) {
    const conditions = setCondition(job.status?.conditions, { type: 'Suspended', status: 'True', reason: 'JobSuspended', message: 'Job suspended' }, now);
    rt.writeStatus(jobType(rt), job, { ...(job.status ?? {}), conditions, active: 0 });
    return;
  }
  if (!podsOf(rt, job).length && !rt.hasTimer(`job:${job.metadata.uid}`)) {
    const pod = createPod(rt, job, rt.cluster.generateName(`${name}-`), job.spec?.template);
    runPod(rt, pod, false);
    const conditions = (job.status?.conditions ?? []).filter((c: Obj) => c.type !== 'Suspended');
    rt.writeStatus(jobType(rt), job, { ...(job.status ?? {}), startTime: job.status?.startTime ?? now, active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, ...(conditions.length ? { conditions } : {}) });
  }
  const seconds = secondsFrom(annotation(job, DURATION_ANNOTATION), 1);
  rt.after(`job:${job.metadata.uid}`, seconds, () => complete(rt, namespace, name, job.metadata.uid));
}

function complete(rt: Runtime, namespace: string, name: string, uid: string): void {
  const job = rt.cluster.store.get('batch/jobs', namespace, name);
  if (!job || job.metadata.uid !== uid || finished(job) || job.spec?.suspend) return;
  const failed = annotation(job, OUTCOME_ANNOTATION) === 'fail';
  for (const pod of podsOf(rt, job)) finishPod(rt, pod, failed);
  const now = rt.cluster.now();
  let conditions = job.status?.conditions;
  if (failed) {
    conditions = setCondition(conditions, { type: 'FailureTarget', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }, now);
    conditions = setCondition(conditions, { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }, now);
  } else {
    conditions = setCondition(conditions, { type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }, now);
    conditions = setCondition(conditions, { type: 'Complete', status: 'True', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' }, now);
  }
  recordEvent(rt, job, failed
    ? { type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', component: 'job-controller' }
    : { reason: 'Completed', message: 'Job completed', component: 'job-controller' });
  rt.writeStatus(jobType(rt), job, {
    ...(job.status ?? {}),
    active: 0,
    ready: 0,
    ...(failed ? { failed: 1 } : { succeeded: job.spec?.completions ?? 1, completionTime: now }),
    conditions,
  });
}
