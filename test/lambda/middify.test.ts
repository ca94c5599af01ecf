import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from 'aws-lambda';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { middifyEvent, middifyHttp } = await import('../../shared/lambda/middify.ts');
const { HttpError } = await import('../../shared/lambda/errors.ts');

const context = {
  functionName: 'gitwave-test', functionVersion: '$LATEST', awsRequestId: 'req-1', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:000000000000:function:gitwave-test', logGroupName: '/aws/lambda/test',
  logStreamName: 's', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 10_000,
  done: () => undefined, fail: () => undefined, succeed: () => undefined,
} as unknown as Context;
const httpEvent = { rawPath: '/x', headers: {}, requestContext: { http: { method: 'GET' } } } as never;

/** Captures what the Powertools logger prints (it writes to stdout/stderr). */
let captured = '';
const writes = { out: process.stdout.write, err: process.stderr.write };
before(() => {
  const tap = (chunk: unknown) => { captured += String(chunk); return true; };
  process.stdout.write = tap as typeof process.stdout.write;
  process.stderr.write = tap as typeof process.stderr.write;
});
after(() => {
  process.stdout.write = writes.out;
  process.stderr.write = writes.err;
});

class ModelError extends Error {
  override readonly name = 'ModelError';
}

describe('middifyHttp', () => {
  it('passes a successful answer through unchanged', async () => {
    const handler = middifyHttp(async () => ({ statusCode: 202, body: '{"message":"queued"}' }));
    assert.deepEqual(await handler(httpEvent, context), { statusCode: 202, body: '{"message":"queued"}' });
  });

  it('answers a domain error with 4xx and its own message', async () => {
    const handler = middifyHttp(async () => { throw new ModelError('apps/web.yaml: Application/web: spec.project: required'); });
    const answer = await handler(httpEvent, context);
    assert.equal(answer.statusCode, 400);
    assert.deepEqual(JSON.parse(String(answer.body)), { message: 'apps/web.yaml: Application/web: spec.project: required' });
  });

  it('answers an HttpError with its status', async () => {
    const handler = middifyHttp(async () => { throw new HttpError(404, 'application web not found'); });
    const answer = await handler(httpEvent, context);
    assert.equal(answer.statusCode, 404);
    assert.match(String(answer.body), /application web not found/);
  });

  it('hides the details of any other error behind a generic 500, and logs them', async () => {
    captured = '';
    const handler = middifyHttp(async () => { throw new Error('dial tcp 10.0.0.7: password=hunter2'); });
    const answer = await handler(httpEvent, context);
    assert.equal(answer.statusCode, 500);
    assert.deepEqual(JSON.parse(String(answer.body)), { message: 'internal error' });
    assert.ok(!String(answer.body).includes('hunter2'));
    assert.match(captured, /request failed/);
    assert.match(captured, /gitwave-test/, 'the log line carries the Lambda context');
  });
});

describe('middifyEvent', () => {
  it('returns the handler result', async () => {
    const handler = middifyEvent(async (input: { n: number }) => ({ doubled: input.n * 2 }));
    assert.deepEqual(await handler({ n: 21 }, context), { doubled: 42 });
  });

  it('rethrows the original error so Step Functions and SQS can match its name', async () => {
    class LockLostError extends Error { override readonly name = 'LockLostError'; }
    const thrown = new LockLostError('lock on cluster dev is held by another execution');
    const handler = middifyEvent(async () => { throw thrown; });
    await assert.rejects(handler({}, context), (error: unknown) => error === thrown);
    assert.match(captured, /invocation failed/);
  });
});
