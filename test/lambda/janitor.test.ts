// The janitor λ, run as the local runtime will run it: the real handler, its store found through
// TABLE_NAME and AWS_ENDPOINT_URL_DYNAMODB, against AWS's DynamoDB Local.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from 'aws-lambda';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStore, ensureTable, type OperationRecord, type Store } from '../../shared/store/index.ts';
import { testDynamo, type TestDynamo } from '../helpers/dynamo.ts';
import { startLocalStepFunctions, type LocalStepFunctions } from '../../local/stubs/step-functions.ts';
import type { ExecutionStatusChangeDetail, JanitorResult, SyncExecutionInput } from '../../shared/engine/contracts.ts';

const TABLE = 'gitwave-janitor-test';
const ARN = (name: string) => `arn:aws:states:us-east-1:000000000000:execution:gitwave-sync:${name}`;
const SM = 'arn:aws:states:us-east-1:000000000000:stateMachine:gitwave-sync';
const context = { functionName: 'gitwave-janitor', awsRequestId: 'r', getRemainingTimeInMillis: () => 30_000 } as unknown as Context;

let dynamo: TestDynamo;
let client: DynamoDBClient;
let store: Store;
let writers: LocalStepFunctions;
const WRITER_SM = 'arn:aws:states:us-east-1:000000000000:stateMachine:gitwave-writer';
let handler: (event: unknown, context: Context) => Promise<JanitorResult>;

before(async () => {
  dynamo = await testDynamo();
  Object.assign(process.env, {
    TABLE_NAME: TABLE, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: dynamo.credentials.secretAccessKey, POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  client = dynamo.client();
  await ensureTable(client, TABLE);
  store = createStore({ tableName: TABLE, client });
  writers = await startLocalStepFunctions({ stateMachineArn: WRITER_SM, definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, taskHandlers: {} });
  Object.assign(process.env, { WRITER_STATE_MACHINE_ARN: WRITER_SM, AWS_ENDPOINT_URL_SFN: writers.endpoint });
  ({ handler } = await import('../../functions/janitor.ts') as never);
});
after(async () => {
  await writers.stop();
  client.destroy();
  await dynamo.stop();
});

function event(execution: string, status: ExecutionStatusChangeDetail['status'], input: SyncExecutionInput | string) {
  const detail: ExecutionStatusChangeDetail = {
    executionArn: ARN(execution), stateMachineArn: SM, status, input: typeof input === 'string' ? input : JSON.stringify(input),
  };
  return { version: '0', id: 'e', 'detail-type': 'Step Functions Execution Status Change', source: 'aws.states', account: '0', time: '', region: 'us-east-1', resources: [], detail };
}

/** An execution that took the lock on `cluster` and recorded a Running operation, then vanished. */
async function abandonedSync(execution: string, cluster: string): Promise<SyncExecutionInput> {
  const input = { app: `app-${execution}`, cluster, syncId: `sync-${execution}`, planKey: `plans/app-${execution}/sync-${execution}.json`, revision: 'a'.repeat(40), owner: ARN(execution), fence: 0 };
  const lock = await store.acquire(cluster, ARN(execution), { syncId: input.syncId, leaseMs: 600_000 });
  assert.ok(lock.acquired);
  const record: OperationRecord = {
    syncId: input.syncId, app: input.app, phase: 'Running', revision: input.revision,
    source: { repoURL: 'https://github.com/acme/manifests.git', targetRevision: 'main', path: 'web' },
    dryRun: false, prune: false, selective: false, fromGit: true, initiatedBy: { automated: true }, startedAt: new Date().toISOString(),
  };
  const guard = { cluster, owner: ARN(execution), fence: lock.fence };
  await store.putOperation(record, guard);
  // As each wave task does: the status shows the operation Running.
  await store.writeStatus(input.app, { operationState: record, sync: { status: 'OutOfSync', revision: 'b'.repeat(40) } }, guard);
  return input;
}

describe('janitor λ', () => {
  it('releases the lock of a timed-out execution and marks its operation Aborted, keeping the fence', async () => {
    const input = await abandonedSync('timed-out', 'dev');
    const fence = (await store.read('dev'))!.fence;
    const result = await handler(event('timed-out', 'TIMED_OUT', input), context);
    assert.equal(result.released, true);
    assert.equal(result.cluster, 'dev');
    const lock = await store.read('dev');
    assert.equal(lock?.held, false);
    assert.equal(lock?.fence, fence, 'the item stays, so the fence keeps growing');
    const operation = await store.getOperation(input.app, input.syncId);
    assert.equal(operation?.phase, 'Aborted');
    assert.match(String(operation?.message), /timed out/);
  });

  it('ends the operation the Application status shows Running: Error, naming the execution', async () => {
    const input = await abandonedSync('stuck', 'uat');
    const result = await handler(event('stuck', 'ABORTED', input), context);
    assert.equal(result.statusEnded, true);
    const status = await store.getStatus(input.app);
    assert.equal(status?.operationState?.phase, 'Error');
    assert.equal(status?.operationState?.message, 'sync aborted: execution stuck ABORTED (the sync execution was stopped)');
    assert.equal(status?.operationState?.syncId, input.syncId);
    assert.ok(status?.operationState?.finishedAt, 'finishedAt is set');
    assert.deepEqual(status?.sync, { status: 'OutOfSync', revision: 'b'.repeat(40) }, 'the rest of the status is left as it was');
    assert.equal((await store.getOperation(input.app, input.syncId))?.message, status?.operationState?.message);
  });

  it('leaves a status that already shows a later operation alone', async () => {
    const input = await abandonedSync('superseded', 'perf');
    await store.releaseAbandoned('perf', ARN('superseded'));
    const next = await store.acquire('perf', ARN('later'), { syncId: 'sync-later', leaseMs: 600_000 });
    assert.ok(next.acquired);
    const later = { ...(await store.getStatus(input.app))!.operationState!, syncId: 'sync-later' };
    await store.writeStatus(input.app, { operationState: later }, { cluster: 'perf', owner: ARN('later'), fence: next.fence });
    const result = await handler(event('superseded', 'FAILED', input), context);
    assert.equal(result.statusEnded, false);
    assert.deepEqual((await store.getStatus(input.app))?.operationState, later);
  });

  it('is harmless when the event comes again', async () => {
    const input = await abandonedSync('stopped', 'staging');
    await handler(event('stopped', 'ABORTED', input), context);
    const first = await store.getOperation(input.app, input.syncId);
    const firstStatus = await store.getStatus(input.app);
    const again = await handler(event('stopped', 'ABORTED', input), context);
    assert.deepEqual([again.released, again.operationAborted, again.statusEnded], [false, false, false]);
    assert.deepEqual(await store.getOperation(input.app, input.syncId), first, 'the second event changes nothing');
    assert.deepEqual(await store.getStatus(input.app), firstStatus);
    assert.equal((await store.read('staging'))?.held, false);
  });

  it('never frees a lock another execution holds now', async () => {
    const input = await abandonedSync('old', 'prod');
    await store.releaseAbandoned('prod', ARN('old'));
    const next = await store.acquire('prod', ARN('new'), { syncId: 'sync-new', leaseMs: 600_000 });
    assert.ok(next.acquired);
    const result = await handler(event('old', 'FAILED', input), context);
    assert.equal(result.released, false);
    const lock = await store.read('prod');
    assert.equal(lock?.owner, ARN('new'));
    assert.equal(lock?.held, true);
  });

  it('touches nothing for an event whose input names no sync', async () => {
    const input = await abandonedSync('bystander', 'qa');
    const outcome = await handler(event('bystander', 'FAILED', '{"hello":"world"}'), context).catch((error: Error) => error);
    if (!(outcome instanceof Error)) assert.equal(outcome.released, false);
    assert.equal((await store.read('qa'))?.held, true);
    assert.equal((await store.getOperation(input.app, input.syncId))?.phase, 'Running');
    assert.equal((await store.getStatus(input.app))?.operationState?.phase, 'Running');
  });

  it('hands a dead writer\'s pending syncs to a new writer, after freeing its lock', async () => {
    const writerArn = 'arn:aws:states:us-east-1:000000000000:execution:gitwave-writer:ops-writer-1';
    const held = await store.acquire('ops', writerArn, { syncId: 'ops-writer-1', leaseMs: 600_000 });
    assert.ok(held.acquired);
    await store.requestSync('ops', { app: 'web', syncId: 'web-1', planKey: 'plans/web/web-1.json', revision: 'a'.repeat(40), requestedAt: new Date().toISOString() });
    const detail: ExecutionStatusChangeDetail = { executionArn: writerArn, stateMachineArn: WRITER_SM, status: 'FAILED', input: JSON.stringify({ cluster: 'ops', concurrency: 3 }) };
    const result = await handler({ ...event('x', 'FAILED', 'x'), detail }, context);
    assert.equal(result.released, true);
    assert.equal((await store.read('ops'))?.held, false);
    assert.equal(result.writerStarted, `${WRITER_SM.replace(':stateMachine:', ':execution:')}:ops-writer-${held.fence}-janitor`);
    await writers.drain();
    const started = writers.executions().find((x) => x.executionArn === result.writerStarted);
    assert.deepEqual(JSON.parse(started!.input), { cluster: 'ops', concurrency: 3 });
    assert.equal((await store.getPending('ops', 'web'))?.syncId, 'web-1', 'the request waits for the new writer');
  });

  it('starts no writer for a dead writer whose cluster has nothing pending', async () => {
    const writerArn = 'arn:aws:states:us-east-1:000000000000:execution:gitwave-writer:idle-writer-1';
    assert.ok((await store.acquire('idle', writerArn, { syncId: 'idle-writer-1', leaseMs: 600_000 })).acquired);
    const detail: ExecutionStatusChangeDetail = { executionArn: writerArn, stateMachineArn: WRITER_SM, status: 'ABORTED', input: JSON.stringify({ cluster: 'idle', concurrency: 10 }) };
    const result = await handler({ ...event('x', 'ABORTED', 'x'), detail }, context);
    assert.deepEqual(result, { released: true, cluster: 'idle' });
  });

  it('hands over for a writer that succeeded still holding the lock (its history was full), and does nothing for one that released', async () => {
    const full = 'arn:aws:states:us-east-1:000000000000:execution:gitwave-writer:busy-writer-1';
    const held = await store.acquire('busy', full, { syncId: 'busy-writer-1', leaseMs: 600_000 });
    assert.ok(held.acquired);
    await store.requestSync('busy', { app: 'api', syncId: 'api-1', planKey: 'plans/api/api-1.json', revision: 'b'.repeat(40), requestedAt: new Date().toISOString() });
    const handedOver = await handler({ ...event('x', 'SUCCEEDED', 'x'), detail: { executionArn: full, stateMachineArn: WRITER_SM, status: 'SUCCEEDED', input: JSON.stringify({ cluster: 'busy', concurrency: 10 }) } }, context);
    assert.equal(handedOver.released, true);
    assert.equal(handedOver.writerStarted, `${WRITER_SM.replace(':stateMachine:', ':execution:')}:busy-writer-${held.fence}-janitor`);

    // The fresh writer holds the cluster now; the one before it ended idle: its SUCCEEDED event changes nothing.
    const fresh = handedOver.writerStarted!;
    assert.ok((await store.acquire('busy', fresh, { syncId: 'fresh', leaseMs: 600_000 })).acquired);
    const idle = await handler({ ...event('x', 'SUCCEEDED', 'x'), detail: { executionArn: full, stateMachineArn: WRITER_SM, status: 'SUCCEEDED', input: JSON.stringify({ cluster: 'busy', concurrency: 10 }) } }, context);
    assert.deepEqual(idle, { released: false, cluster: 'busy' });
    assert.equal((await store.read('busy'))?.owner, fresh);
  });

  it('ignores a sync that succeeded', async () => {
    const input = await abandonedSync('fine', 'fine');
    const result = await handler(event('fine', 'SUCCEEDED', input), context);
    assert.equal(result.released, false);
    assert.equal((await store.read('fine'))?.held, true, 'a SUCCEEDED sync event never frees a lock');
  });
});
