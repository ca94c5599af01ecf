import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalClusterError, TransientClusterError } from '../../shared/kube/errors.ts';
import { backoffMs, withRetry, type RetryEnv, type RetryPolicy } from '../../shared/kube/retry.ts';

const policy: RetryPolicy = { maxAttempts: 5, deadlineMs: 10_000, baseDelayMs: 100, maxDelayMs: 1_000 };

/** A clock that advances only when the code under test sleeps. */
function fakeEnv(random = () => 1): RetryEnv & { waits: number[] } {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
    random,
  };
}

describe('withRetry', () => {
  it('retries transient errors with growing, jittered waits until success', async () => {
    const env = fakeEnv(() => 0.5);
    let calls = 0;
    const out = await withRetry(async () => {
      calls++;
      if (calls < 4) throw new TransientClusterError('failed to get x: http 503', { code: 503 });
      return 'ok';
    }, policy, env);
    assert.equal(out, 'ok');
    assert.equal(calls, 4);
    assert.deepEqual(env.waits, [50, 100, 200]);
  });

  it('does not retry terminal errors', async () => {
    const env = fakeEnv();
    let calls = 0;
    await assert.rejects(
      withRetry(async () => {
        calls++;
        throw new TerminalClusterError('failed to apply x: invalid', { code: 422 });
      }, policy, env),
      TerminalClusterError,
    );
    assert.equal(calls, 1);
  });

  it('waits at least Retry-After', async () => {
    const env = fakeEnv(() => 0);
    let calls = 0;
    await withRetry(async () => {
      if (++calls === 1) throw new TransientClusterError('failed to get x: throttled', { code: 429, retryAfterMs: 2000 });
      return calls;
    }, policy, env);
    assert.deepEqual(env.waits, [2000]);
  });

  it('gives up at the attempt cap and says how many attempts were made', async () => {
    const env = fakeEnv();
    await assert.rejects(
      withRetry(async () => {
        throw new TransientClusterError('failed to get x: http 500', { code: 500 });
      }, policy, env),
      (err: Error) => err instanceof TransientClusterError && /gave up after 5 attempts/.test(err.message),
    );
    assert.equal(env.waits.length, 4);
  });

  it('gives up when the next wait would pass the deadline', async () => {
    const env = fakeEnv();
    await assert.rejects(
      withRetry(async () => {
        throw new TransientClusterError('failed to get x: throttled', { code: 429, retryAfterMs: 6000 });
      }, policy, env),
      /gave up after 2 attempts/,
    );
    assert.deepEqual(env.waits, [6100]);
  });
});

describe('backoffMs', () => {
  it('caps the ceiling at maxDelayMs', () => {
    const err = new TransientClusterError('x');
    assert.equal(backoffMs(10, err, policy, () => 1), 1000);
  });
});
