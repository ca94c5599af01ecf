/**
 * The states of the sync state machine, as a person reads them in the console (DESIGN.md, Shape):
 *
 *   Start sync → Acquire cluster lock ⇄ Wait for cluster lock (bounded) →
 *   Run sync phases [ PreSync loop → Sync loop → PostSync loop ]  (a Parallel used as a try block)
 *     ├ success → Record sync → Retry sync? → Release cluster lock → Synced
 *     └ catch States.ALL → SyncFail loop → Record failure → Retry sync? → Release cluster lock → Sync failed
 *   Retry sync? ─retry─→ Wait to retry sync → Retry sync → Run sync phases (same lock and fence)
 *
 * The retry of a failed attempt (SPEC-sync §6) is decided by the record task, which answers how long
 * to wait; the wait is a Wait state, so no Lambda sleeps and the queue needs no per-message delay.
 *
 * Each phase is a loop, one visible iteration per wave: `apply wave` → `next step?` → `wait for wave`
 * → `check wave` → `next step?` … The tasks are ticks (SPEC-sync §1.7): each re-reads the plan and
 * the recorded results, so a retried or resumed task does the right thing. No Map state: the local
 * interpreter's Map failure semantics differ from AWS (DESIGN.md, local notes), and correctness must
 * not rest on them. Choice rules never read a path that may be missing (that would be an uncatchable
 * States.Runtime error): a malformed task answer fails the phase instead.
 */
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { STATE_NAMES, SYNC_PHASES, TRANSIENT_TASK_ERRORS, phaseStateNames, type SyncPhase } from '../../shared/engine/contracts.ts';

export interface SyncDefinitionFunctions {
  readonly lock: lambda.IFunction;
  readonly applyWave: lambda.IFunction;
  readonly checkWave: lambda.IFunction;
  readonly record: lambda.IFunction;
}

export interface SyncTimings {
  /** Pause between two tries of the cluster lock. */
  readonly lockRetry: Duration;
  /** Tries before giving up on the lock (lockRetry × lockMaxAttempts bounds the wait). */
  readonly lockMaxAttempts: number;
  /** Pause between applying a wave and checking it, and between two checks. */
  readonly waveWait: Duration;
}

/** Errors of the Lambda service itself: safe to retry with backoff (SECURITY.md §4). */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException', 'Lambda.TooManyRequestsException',
];

const ids = {
  app: sfn.JsonPath.stringAt('$.app'),
  cluster: sfn.JsonPath.stringAt('$.cluster'),
  syncId: sfn.JsonPath.stringAt('$.syncId'),
};
const owner = sfn.JsonPath.stringAt('$$.Execution.Id');
const fence = sfn.JsonPath.numberAt('$.lock.fence');

/** Builds the whole definition; `scope` owns the states. */
export function syncDefinition(scope: Construct, fns: SyncDefinitionFunctions, timings: SyncTimings): sfn.IChainable {
  const succeeded = new sfn.Succeed(scope, STATE_NAMES.succeeded);
  const failed = new sfn.Fail(scope, STATE_NAMES.failed, { error: 'gitwave.SyncFailed', cause: 'the sync failed; the operation record of the Application says why' });
  const release = invoke(scope, STATE_NAMES.releaseLock, fns.lock, { action: 'release', cluster: ids.cluster, owner, fence });
  // A lock that cannot be released is the janitor's (execution FAILED) and, last, the lease's.
  release.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.releaseError' });
  release.next(new sfn.Choice(scope, STATE_NAMES.finished)
    .when(sfn.Condition.isPresent('$.error'), failed)
    .otherwise(succeeded));

  const retryDue = new sfn.Choice(scope, STATE_NAMES.retryDue);
  const recordFailure = invoke(scope, STATE_NAMES.recordFailure, fns.record, recordInput('Failed'), '$.record');
  recordFailure.addCatch(release, { errors: ['States.ALL'], resultPath: '$.recordError' });
  recordFailure.next(retryDue);
  const recordSync = invoke(scope, STATE_NAMES.recordSync, fns.record, recordInput('Succeeded'), '$.record');
  recordSync.addCatch(release, { errors: ['States.ALL'], resultPath: '$.error' });
  recordSync.next(retryDue);

  const syncFail = phaseLoop(scope, fns, timings, 'SyncFail', recordFailure, recordFailure);
  const trySync = new sfn.Parallel(scope, STATE_NAMES.trySync, {
    comment: 'try block: any failure inside runs the SyncFail hooks, records the failure and releases the lock',
    resultPath: sfn.JsonPath.DISCARD,
  });
  trySync.branch(phaseChain(scope, fns, timings));
  trySync.addCatch(syncFail, { errors: ['States.ALL'], resultPath: '$.error' });
  trySync.next(recordSync);
  retryDue.when(retryAnswered(), retryLoop(scope, trySync)).otherwise(release);

  return lockLoop(scope, fns.lock, timings, trySync);
}

/** Start sync → Acquire cluster lock → acquired? → (Wait for cluster lock → Acquire …) → next. */
function lockLoop(scope: Construct, lock: lambda.IFunction, timings: SyncTimings, next: sfn.IChainable): sfn.IChainable {
  const start = new sfn.Pass(scope, STATE_NAMES.start, {
    result: sfn.Result.fromObject({ acquired: false, attempt: 0 }),
    resultPath: '$.lock',
  });
  const acquire = invoke(scope, STATE_NAMES.acquireLock, lock, {
    action: 'acquire', cluster: ids.cluster, syncId: ids.syncId, owner,
    attempt: sfn.JsonPath.mathAdd(sfn.JsonPath.numberAt('$.lock.attempt'), 1),
  }, '$.lock');
  const wait = new sfn.Wait(scope, STATE_NAMES.waitForLock, { time: sfn.WaitTime.duration(timings.lockRetry) });
  const giveUp = new sfn.Fail(scope, STATE_NAMES.lockNotAcquired, {
    error: 'gitwave.LockNotAcquired',
    cause: `the cluster lock stayed held by another sync for ${timings.lockMaxAttempts} attempts`,
  });
  const acquired = new sfn.Choice(scope, STATE_NAMES.lockAcquired)
    .when(sfn.Condition.or(sfn.Condition.isNotPresent('$.lock.acquired'), sfn.Condition.isNotPresent('$.lock.attempt')), giveUp)
    .when(sfn.Condition.booleanEquals('$.lock.acquired', true), next)
    .when(sfn.Condition.numberGreaterThanEquals('$.lock.attempt', timings.lockMaxAttempts), giveUp)
    .otherwise(wait);
  wait.next(acquire);
  return start.next(acquire).next(acquired);
}

/** Whether the record task answered a retry with a number of seconds to wait (a missing path must not reach the Wait). */
function retryAnswered(): sfn.Condition {
  return sfn.Condition.and(sfn.Condition.isPresent('$.record.retry.waitSeconds'), sfn.Condition.isNumeric('$.record.retry.waitSeconds'));
}

/**
 * Wait to retry sync → Retry sync (the state back to the execution's ids and lock: the caught error,
 * the last tick and the record answer go) → the try block again. The lock stays held, and the record
 * task stretched its lease over the wait.
 */
function retryLoop(scope: Construct, trySync: sfn.IChainable): sfn.IChainable {
  const wait = new sfn.Wait(scope, STATE_NAMES.waitToRetry, { time: sfn.WaitTime.secondsPath('$.record.retry.waitSeconds') });
  const reset = new sfn.Pass(scope, STATE_NAMES.retrySync, {
    comment: 'the next attempt of the same operation: results cleared by the record task, the first tick (dry run) runs again',
    parameters: { ...Object.fromEntries(['app', 'cluster', 'syncId', 'planKey', 'revision', 'lock'].map((k) => [`${k}.$`, `$.${k}`])) },
  });
  return wait.next(reset).next(trySync);
}

/** PreSync → Sync → PostSync, each a loop; the branch ends when PostSync has no pending wave. */
function phaseChain(scope: Construct, fns: SyncDefinitionFunctions, timings: SyncTimings): sfn.IChainable {
  let next: sfn.IChainable = new sfn.Succeed(scope, 'All phases done');
  for (const phase of [...SYNC_PHASES].reverse()) {
    const names = phaseStateNames(phase);
    const failed = new sfn.Fail(scope, names.failed, { error: 'gitwave.WaveFailed', cause: `a ${phase} wave failed; the operation results name the resources` });
    next = phaseLoop(scope, fns, timings, phase, next, failed);
  }
  return next;
}

/** `<phase>` → apply wave → next step? → wait for wave → check wave → next step? … */
function phaseLoop(
  scope: Construct, fns: SyncDefinitionFunctions, timings: SyncTimings,
  phase: SyncPhase, done: sfn.IChainable, failed: sfn.IChainable,
): sfn.IChainable {
  const names = phaseStateNames(phase);
  const input = { ...ids, planKey: sfn.JsonPath.stringAt('$.planKey'), owner, fence, phase };
  const enter = new sfn.Pass(scope, names.enter, { comment: `the ${phase} phase, one iteration per wave` });
  const apply = invoke(scope, names.apply, fns.applyWave, input, '$.tick');
  const check = invoke(scope, names.check, fns.checkWave, input, '$.tick');
  const wait = new sfn.Wait(scope, names.wait, { time: sfn.WaitTime.duration(timings.waveWait) });
  const decide = new sfn.Choice(scope, names.decide)
    .when(sfn.Condition.isNotPresent('$.tick.status'), failed)
    .when(sfn.Condition.stringEquals('$.tick.status', 'phaseDone'), done)
    .when(sfn.Condition.stringEquals('$.tick.status', 'waveDone'), apply)
    .when(sfn.Condition.stringEquals('$.tick.status', 'progressing'), wait)
    .otherwise(failed);
  if (phase === 'SyncFail') {
    // Outside the try block: an error while running SyncFail hooks still records and releases.
    for (const task of [apply, check]) task.addCatch(done, { errors: ['States.ALL'], resultPath: '$.syncFailError' });
  }
  wait.next(check);
  check.next(decide);
  return enter.next(apply).next(decide);
}

function recordInput(outcome: 'Succeeded' | 'Failed'): Record<string, unknown> {
  const input: Record<string, unknown> = { ...ids, owner, fence, outcome };
  if (outcome === 'Failed') input.error = sfn.JsonPath.objectAt('$.error');
  return input;
}

/** A Lambda task that passes a small payload and keeps only the function's answer (or none). */
function invoke(scope: Construct, name: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath?: string): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, name, {
    lambdaFunction: fn,
    payload: sfn.TaskInput.fromObject(payload),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath: resultPath ?? sfn.JsonPath.DISCARD,
  });
  task.addRetry({ errors: LAMBDA_SERVICE_ERRORS, interval: Duration.seconds(2), maxAttempts: 6, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
  // A timeout or crash may have left a wave half-applied: re-run the idempotent tick a bounded number of times.
  task.addRetry({ errors: ['Lambda.Unknown'], interval: Duration.seconds(5), maxAttempts: 2, backoffRate: 2 });
  // The cluster API was unreachable for longer than the client retried: try the idempotent tick again later.
  task.addRetry({ errors: TRANSIENT_TASK_ERRORS, interval: Duration.seconds(10), maxAttempts: 3, backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
  return task;
}
