/**
 * The states of the sync state machine, as a person reads them in the console (DESIGN.md, Shape): one
 * Application's operation, started by its cluster's writer (writer-definition.ts) as a child execution
 * and run under the writer's lease (`$.owner`, `$.fence`; every fenced write checks them):
 *
 *   Start sync →
 *   Run sync phases [ PreSync loop → Sync loop → PostSync loop ]  (a Parallel used as a try block)
 *     ├ success → Record sync → Retry sync? → Sync finished? → Synced
 *     └ catch States.ALL → SyncFail loop → Record failure → Retry sync? → Sync finished? → Sync failed
 *   Retry sync? ─retry─→ Wait to retry sync → Retry sync → Run sync phases (same lease and fence)
 *
 * The retry of a failed attempt (SPEC-sync §6) is decided by the record task, which answers how long
 * to wait; the wait is a Wait state, so no Lambda sleeps and the queue needs no per-message delay.
 *
 * Each phase is a loop, one visible iteration per wave: `apply wave` → `next step?` → `wait for wave`
 * → `check wave` → `next step?` … The wait is the task's own answer (`nextCheckSeconds`: 0 right
 * after an apply, then what is still pending says how long; wave-task.ts), never a fixed sleep. The tasks are ticks (SPEC-sync §1.7): each re-reads the plan and
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
import { NEXT_CHECK_FIELD, STATE_NAMES, SYNC_PHASES, TRANSIENT_TASK_ERRORS, TRANSIENT_TASK_RETRY, YIELD_ERROR, phaseStateNames, type SyncPhase } from '../../shared/engine/contracts.ts';

export interface SyncDefinitionFunctions {
  readonly applyWave: lambda.IFunction;
  readonly checkWave: lambda.IFunction;
  readonly record: lambda.IFunction;
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
const owner = sfn.JsonPath.stringAt('$.owner');
const fence = sfn.JsonPath.numberAt('$.fence');

/** Builds the whole definition; `scope` owns the states. */
export function syncDefinition(scope: Construct, fns: SyncDefinitionFunctions): sfn.IChainable {
  const succeeded = new sfn.Succeed(scope, STATE_NAMES.succeeded);
  const failed = new sfn.Fail(scope, STATE_NAMES.failed, { error: 'gitwave.SyncFailed', cause: 'the sync failed; the operation record of the Application says why' });
  // The writer's Map catches a failed child, so one Application's failure never stops the others.
  const finished = new sfn.Choice(scope, STATE_NAMES.finished)
    .when(sfn.Condition.isPresent('$.error'), failed)
    .otherwise(succeeded);

  const retryDue = new sfn.Choice(scope, STATE_NAMES.retryDue);
  const recordFailure = invoke(scope, STATE_NAMES.recordFailure, fns.record, recordInput('Failed'), '$.record');
  recordFailure.addCatch(finished, { errors: ['States.ALL'], resultPath: '$.recordError' });
  recordFailure.next(retryDue);
  const recordSync = invoke(scope, STATE_NAMES.recordSync, fns.record, recordInput('Succeeded'), '$.record');
  recordSync.addCatch(finished, { errors: ['States.ALL'], resultPath: '$.error' });
  recordSync.next(retryDue);

  const syncFail = phaseLoop(scope, fns, 'SyncFail', recordFailure, recordFailure);
  const trySync = new sfn.Parallel(scope, STATE_NAMES.trySync, {
    comment: 'try block: any failure inside runs the SyncFail hooks, and records the failure',
    resultPath: sfn.JsonPath.DISCARD,
  });
  trySync.branch(phaseChain(scope, fns));
  // Before States.ALL: a sync that gave its place back to its queued children ends well, unrecorded,
  // and stays in the cluster's queue for the writer's next round (shared/engine/yield-to-children.ts).
  trySync.addCatch(new sfn.Succeed(scope, STATE_NAMES.yielded, { comment: 'the writer runs the child Applications this sync waits for in its next round, and this sync again beside them' }), { errors: [YIELD_ERROR] });
  trySync.addCatch(syncFail, { errors: ['States.ALL'], resultPath: '$.error' });
  trySync.next(recordSync);
  retryDue.when(secondsAnswered('$.record.retry.waitSeconds'), retryLoop(scope, trySync)).otherwise(finished);

  const start = new sfn.Pass(scope, STATE_NAMES.start, { comment: 'one Application at one revision, under its cluster writer\'s lease ($.owner, $.fence)' });
  return start.next(trySync);
}

/** Whether a task answered a number of seconds to wait at `path` (a missing path must not reach the Wait). */
function secondsAnswered(path: string): sfn.Condition {
  return sfn.Condition.and(sfn.Condition.isPresent(path), sfn.Condition.isNumeric(path));
}

/**
 * Wait to retry sync → Retry sync (the state back to the execution's ids and lease: the caught error,
 * the last tick and the record answer go) → the try block again. The writer keeps the lock, and the
 * record task stretched its lease over the wait.
 */
function retryLoop(scope: Construct, trySync: sfn.IChainable): sfn.IChainable {
  const wait = new sfn.Wait(scope, STATE_NAMES.waitToRetry, { time: sfn.WaitTime.secondsPath('$.record.retry.waitSeconds') });
  const reset = new sfn.Pass(scope, STATE_NAMES.retrySync, {
    comment: 'the next attempt of the same operation: results cleared by the record task, the first tick (dry run) runs again',
    parameters: { ...Object.fromEntries(['app', 'cluster', 'syncId', 'planKey', 'revision', 'owner', 'fence'].map((k) => [`${k}.$`, `$.${k}`])) },
  });
  return wait.next(reset).next(trySync);
}

/** PreSync → Sync → PostSync, each a loop; the branch ends when PostSync has no pending wave. */
function phaseChain(scope: Construct, fns: SyncDefinitionFunctions): sfn.IChainable {
  let next: sfn.IChainable = new sfn.Succeed(scope, 'All phases done');
  for (const phase of [...SYNC_PHASES].reverse()) {
    const names = phaseStateNames(phase);
    const failed = new sfn.Fail(scope, names.failed, { error: 'gitwave.WaveFailed', cause: `a ${phase} wave failed; the operation results name the resources` });
    next = phaseLoop(scope, fns, phase, next, failed);
  }
  return next;
}

/** `<phase>` → apply wave → next step? → wait for wave (as long as the task said) → check wave → next step? … */
function phaseLoop(scope: Construct, fns: SyncDefinitionFunctions, phase: SyncPhase, done: sfn.IChainable, failed: sfn.IChainable): sfn.IChainable {
  const names = phaseStateNames(phase);
  const input = { ...ids, planKey: sfn.JsonPath.stringAt('$.planKey'), owner, fence, phase };
  const enter = new sfn.Pass(scope, names.enter, { comment: `the ${phase} phase, one iteration per wave` });
  const apply = invoke(scope, names.apply, fns.applyWave, input, '$.tick');
  const check = invoke(scope, names.check, fns.checkWave, input, '$.tick');
  const wait = new sfn.Wait(scope, names.wait, { time: sfn.WaitTime.secondsPath(`$.tick.${NEXT_CHECK_FIELD}`) });
  const decide = new sfn.Choice(scope, names.decide)
    .when(sfn.Condition.isNotPresent('$.tick.status'), failed)
    .when(sfn.Condition.stringEquals('$.tick.status', 'phaseDone'), done);
  if (phase !== 'SyncFail') {
    decide.when(sfn.Condition.stringEquals('$.tick.status', 'yield'), new sfn.Fail(scope, names.yield, {
      error: YIELD_ERROR, cause: 'waiting for child Applications queued behind this sync on its cluster: the writer runs them next, and this sync resumes beside them',
    }));
  }
  decide
    .when(sfn.Condition.stringEquals('$.tick.status', 'waveDone'), apply)
    .when(sfn.Condition.and(sfn.Condition.stringEquals('$.tick.status', 'progressing'), secondsAnswered(`$.tick.${NEXT_CHECK_FIELD}`)), wait)
    .otherwise(failed);
  if (phase === 'SyncFail') {
    // Outside the try block: an error while running SyncFail hooks still records the failure.
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
export function invoke(scope: Construct, name: string, fn: lambda.IFunction, payload: Record<string, unknown>, resultPath?: string): tasks.LambdaInvoke {
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
  const { intervalSeconds, maxAttempts, backoffRate } = TRANSIENT_TASK_RETRY;
  task.addRetry({ errors: TRANSIENT_TASK_ERRORS, interval: Duration.seconds(intervalSeconds), maxAttempts, backoffRate, jitterStrategy: sfn.JitterType.FULL });
  return task;
}
