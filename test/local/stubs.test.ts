// The local AWS stand-ins answer the real SDK clients the way the services do.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { SecretsManagerClient, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { LambdaClient, InvokeCommand } from '@aws-sdk/client-lambda';
import { startSecretsManager } from '../../local/stubs/secrets-manager.ts';
import { startLambdaInvoke } from '../../local/stubs/lambda.ts';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

describe('local Secrets Manager', async () => {
  const sm = await startSecretsManager([{ name: 'gitwave/webhook', value: 's3cret' }]);
  after(() => sm.stop());
  const client = new SecretsManagerClient({ endpoint: sm.endpoint, region: 'us-east-1', credentials });

  it('returns a secret by name and by ARN', async () => {
    for (const id of ['gitwave/webhook', sm.arnOf('gitwave/webhook')]) {
      const out = await client.send(new GetSecretValueCommand({ SecretId: id }));
      assert.equal(out.SecretString, 's3cret');
    }
  });

  it('answers ResourceNotFoundException for an unknown secret', async () => {
    await assert.rejects(client.send(new GetSecretValueCommand({ SecretId: 'nope' })), { name: 'ResourceNotFoundException' });
  });
});

describe('local Lambda Invoke', async () => {
  const lambda = await startLambdaInvoke({
    plan: async (event) => ({ planned: (event as { app: string }).app }),
    broken: async () => { throw new TypeError('bad input'); },
  });
  after(() => lambda.stop());
  const client = new LambdaClient({ endpoint: lambda.endpoint, region: 'us-east-1', credentials });

  it('invokes a function synchronously and returns its result', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:plan', Payload: JSON.stringify({ app: 'a' }) }));
    assert.equal(out.FunctionError, undefined);
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()), { planned: 'a' });
  });

  it('reports a thrown error as a function error, like Lambda', async () => {
    const out = await client.send(new InvokeCommand({ FunctionName: 'broken', Payload: '{}' }));
    assert.equal(out.FunctionError, 'Unhandled');
    assert.deepEqual(JSON.parse(Buffer.from(out.Payload!).toString()), { errorType: 'TypeError', errorMessage: 'bad input' });
  });
});
