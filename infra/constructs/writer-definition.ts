/**
 * The states of a cluster's writer (docs/engine.md, "One writer per cluster"): the one execution that
 * holds the cluster lock and runs that cluster's pending syncs, many at once, each as a child
 * execution of the sync state machine a person can open from here.
 *
 *   Acquire cluster lock → Cluster lock acquired? ─no─→ Another writer holds the cluster (it will see the requests)
 *     └ yes → Claim pending syncs → Any sync pending?
 *               ├ yes → Sync Applications (Map, MaxConcurrency = the cluster's concurrency)
 *               │         └ each item: Sync Application (startExecution.sync:2 of the sync state
 *               │           machine, named app + revision) ─catch─→ Application sync failed
 *               │       → Claim pending syncs (the round's syncs leave the queue) …
 *               ├ the history nears its limit → Hand over to a fresh writer (ends holding the lock: the
 *               │   janitor hears of the SUCCEEDED writer, frees its lock and starts the next writer)
 *               └ no  → Release cluster lock if idle → Released? ─no (a request came)─→ Claim pending syncs
 *                                                      └ yes → Cluster idle
 *
 * Every iteration ends well (the child's failure is caught and is that Application's alone), so no
 * correctness rests on the Map's failure semantics (DESIGN.md, local notes). A task error of the
 * writer itself fails the execution: the janitor frees the lock and starts a new writer for what is
 * still pending.
 */
import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { WRITER_STATE_NAMES as NAMES } from '../../shared/engine/contracts.ts';
import { invoke } from './sync-definition.ts';

const cluster = sfn.JsonPath.stringAt('$.cluster');
const owner = sfn.JsonPath.stringAt('$$.Execution.Id');
const fence = sfn.JsonPath.numberAt('$.lock.fence');

/**
 * Builds the writer's definition: `lock` is the lock λ, `sync` the per-Application state machine and
 * `syncTimeout` that machine's own time limit.
 */
export function writerDefinition(scope: Construct, lock: lambda.IFunction, sync: sfn.IStateMachine, syncTimeout: Duration): sfn.IChainable {
  const acquire = invoke(scope, NAMES.acquireLock, lock, {
    action: 'acquire', cluster, syncId: sfn.JsonPath.stringAt('$$.Execution.Name'), owner, attempt: 1,
  }, '$.lock');
  const claim = invoke(scope, NAMES.claim, lock, {
    action: 'claim', cluster, owner, fence, done: sfn.JsonPath.listAt('$.done'), spent: sfn.JsonPath.numberAt('$.claim.spent'),
  }, '$.claim');
  const idle = new sfn.Succeed(scope, NAMES.done);
  const release = invoke(scope, NAMES.release, lock, {
    action: 'release', cluster, owner, fence, seq: sfn.JsonPath.numberAt('$.claim.seq'),
  }, '$.release');
  const released = new sfn.Choice(scope, NAMES.released)
    .when(sfn.Condition.booleanEquals('$.release.released', true), idle)
    .otherwise(claim);
  release.next(released);

  const syncApps = new sfn.Map(scope, NAMES.syncApps, {
    comment: 'each pending Application of the cluster, as its own execution of the sync state machine',
    itemsPath: '$.claim.syncs',
    maxConcurrencyPath: '$.concurrency',
    // The round's { app, syncId, resumes } list, which the next claim removes from the queue.
    resultPath: '$.done',
  });
  syncApps.itemProcessor(childSync(scope, sync, syncTimeout));
  syncApps.next(claim);

  const handOver = new sfn.Succeed(scope, NAMES.handOver, {
    comment: 'the history nears its 25,000 events: end holding the lock; the janitor frees it and starts a fresh writer for what is pending',
  });
  const anyPending = new sfn.Choice(scope, NAMES.anyPending)
    .when(sfn.Condition.booleanEquals('$.claim.handOver', true), handOver)
    .when(sfn.Condition.isPresent('$.claim.syncs[0]'), syncApps)
    .otherwise(release);
  claim.next(anyPending);

  const start = new sfn.Pass(scope, NAMES.start, {
    comment: 'the cluster\'s one writer: claims its pending syncs until none is left',
    parameters: { 'cluster.$': '$.cluster', 'concurrency.$': '$.concurrency', done: [], claim: { spent: 0 } },
  });
  const acquired = new sfn.Choice(scope, NAMES.lockAcquired)
    .when(sfn.Condition.booleanEquals('$.lock.acquired', true), claim)
    .otherwise(new sfn.Succeed(scope, NAMES.otherWriter, { comment: 'its release fails on the new request sequence, so it claims this request' }));
  return start.next(acquire).next(acquired);
}

/** One Map item: the Application's sync as a child execution, its failure caught and kept to itself. */
function childSync(scope: Construct, sync: sfn.IStateMachine, syncTimeout: Duration): sfn.IChainable {
  const ids = { 'app.$': '$.app', 'syncId.$': '$.syncId', 'resumes.$': '$.resumes' };
  // Every iteration answers only its ids, so the Map's output stays small.
  const run = new tasks.StepFunctionsStartExecution(scope, NAMES.syncApp, {
    stateMachine: sync,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    name: sfn.JsonPath.stringAt('$.name'),
    input: sfn.TaskInput.fromObject({
      app: sfn.JsonPath.stringAt('$.app'), cluster: sfn.JsonPath.stringAt('$.cluster'), syncId: sfn.JsonPath.stringAt('$.syncId'),
      planKey: sfn.JsonPath.stringAt('$.planKey'), revision: sfn.JsonPath.stringAt('$.revision'),
      owner: sfn.JsonPath.stringAt('$.owner'), fence: sfn.JsonPath.numberAt('$.fence'),
    }),
    associateWithParent: true,
    resultPath: sfn.JsonPath.DISCARD,
    // Explicit, never the States Language default of 60 s (which aws-local-stepfunctions applies, unlike
    // AWS): a task that gave up while its child still ran would let the writer release the lock under that child. The
    // child's own time limit ends it first.
    taskTimeout: sfn.Timeout.duration(syncTimeout.plus(Duration.minutes(5))),
  });
  const keep = new sfn.Pass(scope, NAMES.appSynced, { parameters: ids });
  const failed = new sfn.Pass(scope, NAMES.appSyncFailed, {
    comment: 'the Application\'s own failure, recorded on its operation; the other Applications go on',
    parameters: ids,
  });
  run.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.childError' });
  return run.next(keep);
}
