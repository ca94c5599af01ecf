// Starting the sync state machine: execution names (hash of app + revision + request, within Step
// Functions' rules) and the Step Functions adapter against the local Step Functions stand-in, where
// a repeated start of a finished execution is answered ExecutionAlreadyExists, as in AWS.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { SFNClient } from '@aws-sdk/client-sfn';
import { executionArnOf, executionName, sfnExecutions } from '../../shared/engine/executions.ts';
import { startLocalStepFunctions } from '../../local/stubs/step-functions.ts';

const SHA = '6ccfe74a1b2c3d4e5f60718293a4b5c6d7e8f901';

describe('executionName', () => {
  it('is the same for the same app, revision and request, and differs otherwise', () => {
    assert.equal(executionName('web', SHA, 'request:1'), executionName('web', SHA, 'request:1'));
    const others = [executionName('web', SHA, 'request:2'), executionName('api', SHA, 'request:1'), executionName('web', SHA.replace('6', '7'), 'request:1')];
    assert.equal(new Set([executionName('web', SHA, 'request:1'), ...others]).size, 4);
  });

  it('keeps to 80 characters of [A-Za-z0-9_-], readable from app and short revision', () => {
    const name = executionName('a.very-long.application.name-'.repeat(5), SHA, 'auto:none:0');
    assert.ok(name.length <= 80, name);
    assert.match(name, /^[A-Za-z0-9_-]+$/);
    assert.match(executionName('web', SHA, 'x'), /^web-6ccfe74-[0-9a-f]{24}$/);
  });

  it('gives the ARN Step Functions will give the execution', () => {
    assert.equal(executionArnOf('arn:aws:states:eu-west-1:123456789012:stateMachine:gitwave-sync', 'x'), 'arn:aws:states:eu-west-1:123456789012:execution:gitwave-sync:x');
  });
});

describe('sfnExecutions', async () => {
  const arn = 'arn:aws:states:us-east-1:000000000000:stateMachine:gitwave-sync';
  const sfn = await startLocalStepFunctions({
    stateMachineArn: arn,
    definition: { StartAt: 'Done', States: { Done: { Type: 'Succeed' } } },
    taskHandlers: {},
  });
  after(() => sfn.stop());
  const client = new SFNClient({ endpoint: sfn.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const executions = sfnExecutions(client, arn);
  const input = { cluster: 'dev', concurrency: 10 };

  it('starts an execution once; a repeated start is answered with the same ARN and nothing new', async () => {
    const first = await executions.start('web-1', input);
    await sfn.drain();
    const again = await executions.start('web-1', input);
    assert.deepEqual(first, { executionArn: executionArnOf(arn, 'web-1'), started: true });
    assert.deepEqual(again, { executionArn: first.executionArn, started: false });
    assert.equal(sfn.executions().filter((e) => e.name === 'web-1').length, 1);
  });
});
