// The local Step Functions stand-in: the SDK's own calls start, describe, stop and list executions of
// a real ASL definition run by aws-local-stepfunctions; names are idempotent as in AWS, and stopped
// or cut-short executions are reported the way EventBridge reports them to the janitor.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SFNClient, StartExecutionCommand, DescribeExecutionCommand, StopExecutionCommand, GetExecutionHistoryCommand } from '@aws-sdk/client-sfn';
import { startLocalStepFunctions } from '../../local/stubs/step-functions.ts';

const definition = {
  StartAt: 'Work',
  States: {
    Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:000000000000:function:work', Next: 'Pause' },
    Pause: { Type: 'Wait', Seconds: 3600, Next: 'Done?' },
    'Done?': { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Ok' }], Default: 'Broken' },
    Ok: { Type: 'Succeed' },
    Broken: { Type: 'Fail', Error: 'Broken', Cause: 'not ok' },
  },
};
const ARN = 'arn:aws:states:us-east-1:000000000000:stateMachine:sync';
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('local Step Functions', async () => {
  const home = mkdtempSync(join(tmpdir(), 'gitwave-sfn-'));
  const changes: Array<{ status: string }> = [];
  let pauseMs = 0;
  const sfn = await startLocalStepFunctions({
    stateMachineArn: ARN, definition,
    taskHandlers: { Work: async (input) => input },
    waitOverrides: { get Pause() { return pauseMs; } } as Record<string, number>,
    onStatusChange: async (d) => void changes.push(d),
    persistPath: join(home, 'executions.json'),
  });
  after(async () => { await sfn.stop(); rmSync(home, { recursive: true, force: true }); });
  const client = new SFNClient({ endpoint: sfn.endpoint, region: 'us-east-1', credentials });

  it('runs an execution to success and to failure', async () => {
    const ok = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'ok', input: '{"ok":true}' }));
    const bad = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'bad', input: '{"ok":false}' }));
    await sfn.drain();
    assert.equal((await client.send(new DescribeExecutionCommand({ executionArn: ok.executionArn }))).status, 'SUCCEEDED');
    const failed = await client.send(new DescribeExecutionCommand({ executionArn: bad.executionArn }));
    assert.equal(failed.status, 'FAILED');
    assert.equal(failed.error, 'Broken');
    const history = await client.send(new GetExecutionHistoryCommand({ executionArn: ok.executionArn }));
    const entered = history.events?.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails?.name);
    assert.deepEqual(entered, ['Work', 'Pause', 'Done?', 'Ok']);
    assert.deepEqual(changes.map((c) => c.status), ['FAILED']);
  });

  it('treats a repeated name like AWS: same running input succeeds, anything else is ExecutionAlreadyExists', async () => {
    pauseMs = 60_000;
    const first = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'dup', input: '{"ok":true}' }));
    const again = await client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'dup', input: '{"ok":true}' }));
    assert.equal(again.executionArn, first.executionArn);
    await assert.rejects(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'dup', input: '{"ok":false}' })), { name: 'ExecutionAlreadyExists' });
    await client.send(new StopExecutionCommand({ executionArn: first.executionArn }));
    assert.equal((await client.send(new DescribeExecutionCommand({ executionArn: first.executionArn }))).status, 'ABORTED');
    assert.equal(changes.at(-1)?.status, 'ABORTED');
    await assert.rejects(client.send(new StartExecutionCommand({ stateMachineArn: ARN, name: 'ok', input: '{"ok":true}' })), { name: 'ExecutionAlreadyExists' });
    pauseMs = 0;
  });

  it('reports executions cut short by a restart as ABORTED', async () => {
    const persistPath = join(home, 'restart.json');
    writeFileSync(persistPath, JSON.stringify([{ executionArn: 'arn:x:cut', name: 'cut', input: '{}', status: 'RUNNING', startDate: 1, events: [] }]));
    const seen: string[] = [];
    const again = await startLocalStepFunctions({ stateMachineArn: ARN, definition, taskHandlers: {}, persistPath, onStatusChange: async (d) => void seen.push(`${d.executionArn} ${d.status}`) });
    await again.stop();
    assert.deepEqual(seen, ['arn:x:cut ABORTED']);
    assert.equal(again.executions()[0].status, 'ABORTED');
  });
});
