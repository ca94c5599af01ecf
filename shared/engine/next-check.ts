/**
 * When to look again at a wave that is still progressing (issue 9: no fixed sleeps). The phase loop's
 * Wait reads the answer (`nextCheckSeconds`). Right after an apply the answer is 0: check at once.
 * After a check it comes from what is still pending, read off the live objects:
 * - a controller that has not yet seen the object's latest spec (`status.observedGeneration` behind
 *   `metadata.generation`) is about to act: 1 s;
 * - a Job: its expected duration (`gitwave.dev/expected-duration`, seconds) minus how long it has run;
 * - a rollout (Deployment, StatefulSet, DaemonSet): the time left at the pace it has gone so far
 *   (updated and ready replicas against the wanted count, since gitwave applied it);
 * - anything else: half of how long it has been waiting since gitwave applied it, a bounded backoff.
 * Always between 1 and 15 s, whole seconds (Step Functions' SecondsPath takes integers). Pure.
 */
import type { KubeObject } from '../model/object.ts';

export const MIN_CHECK_SECONDS = 1;
export const MAX_CHECK_SECONDS = 15;
/** Annotation a Job may carry to say how long it usually runs. */
export const EXPECTED_DURATION_ANNOTATION = 'gitwave.dev/expected-duration';

const clamp = (seconds: number) => Math.min(MAX_CHECK_SECONDS, Math.max(MIN_CHECK_SECONDS, Math.ceil(seconds)));
const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const time = (value: unknown): number | undefined => (typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? Date.parse(value) / 1000 : undefined);

/** Whether the object's controller has not yet observed its latest generation. */
export function generationLags(object: KubeObject): boolean {
  const generation = num(object.metadata?.generation);
  const observed = num((object.status as Record<string, unknown> | undefined)?.observedGeneration);
  return generation !== undefined && observed !== undefined && observed < generation;
}

/**
 * Seconds until the next check of the objects still waited on, `now` in epoch seconds.
 * @example nextCheckSeconds([job startedAt now-3 s, expected 10 s], now) // 7
 */
export function nextCheckSeconds(pending: readonly KubeObject[], now: number): number {
  if (pending.length === 0) return MIN_CHECK_SECONDS;
  return Math.min(...pending.map((object) => clamp(secondsFor(object, now))));
}

function secondsFor(object: KubeObject, now: number): number {
  if (generationLags(object)) return MIN_CHECK_SECONDS;
  const status = (object.status ?? {}) as Record<string, unknown>;
  if (object.kind === 'Job') return jobSeconds(object, status, now);
  if (['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind)) return rolloutSeconds(object, status, now);
  return backoff(object, now);
}

function jobSeconds(object: KubeObject, status: Record<string, unknown>, now: number): number {
  const started = time(status.startTime);
  const expected = Number(object.metadata?.annotations?.[EXPECTED_DURATION_ANNOTATION]);
  if (started !== undefined && Number.isFinite(expected) && expected > 0 && now - started < expected) return expected - (now - started);
  return started === undefined ? MIN_CHECK_SECONDS : (now - started) / 2;
}

function rolloutSeconds(object: KubeObject, status: Record<string, unknown>, now: number): number {
  // One replica done of three after 4 s: about 8 s to go.
  const spec = (object.spec ?? {}) as Record<string, unknown>;
  const wanted = num(spec.replicas) ?? num(status.desiredNumberScheduled) ?? 1;
  const done = Math.min(num(status.updatedReplicas) ?? num(status.updatedNumberScheduled) ?? 0, num(status.readyReplicas) ?? num(status.numberReady) ?? 0);
  const since = appliedAt(object);
  if (since === undefined) return MIN_CHECK_SECONDS;
  const elapsed = Math.max(0, now - since);
  if (done <= 0 || wanted <= 0) return elapsed / 2;
  return (elapsed * (wanted - done)) / done;
}

/** When the object was last applied: its newest server-side-apply managedFields entry, else its creation. */
function appliedAt(object: KubeObject): number | undefined {
  const applies = (object.metadata?.managedFields ?? [])
    .filter((f) => f.operation === 'Apply')
    .map((f) => time(f.time))
    .filter((t): t is number => t !== undefined);
  return applies.length > 0 ? Math.max(...applies) : time(object.metadata?.creationTimestamp);
}

function backoff(object: KubeObject, now: number): number {
  const since = appliedAt(object);
  return since === undefined ? MIN_CHECK_SECONDS : (now - since) / 2;
}
