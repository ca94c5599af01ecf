/**
 * Bounded retries for the cluster client (SECURITY.md §6): transient errors (5xx, timeouts, dropped
 * connections, 429, a stale-update 409) are retried with exponential backoff and full jitter until
 * an attempt cap or a deadline, whichever comes first; a 429's `Retry-After` is honoured as the
 * minimum wait. Terminal errors pass straight through. Server-side apply is idempotent, which is
 * what makes retrying an apply safe.
 */
import { ClusterError, TransientClusterError } from './errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** No retry starts later than this many ms after the first attempt. */
  deadlineMs: number;
  /** The first backoff ceiling; it doubles per attempt. */
  baseDelayMs: number;
  /** The largest backoff ceiling (a Retry-After may ask for longer, up to the deadline). */
  maxDelayMs: number;
}

/** Defaults: 6 attempts within 60 s, backoff ceilings 0.2 s, 0.4 s, 0.8 s … up to 5 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, deadlineMs: 60_000, baseDelayMs: 200, maxDelayMs: 5_000 };

/** The clock, sleep and randomness, injectable so tests need not wait. */
export interface RetryEnv {
  now(): number;
  sleep(ms: number): Promise<void>;
  random(): number;
  /** Told (and awaited) before each wait: which attempt failed, the error, and how long the wait is. */
  onRetry?(attempt: number, error: ClusterError, delayMs: number): void | Promise<void>;
}

export const realRetryEnv: RetryEnv = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The wait before retry number `attempt` (1-based): full jitter, but never less than Retry-After. */
export function backoffMs(attempt: number, error: ClusterError, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jittered = Math.round(random() * ceiling);
  const asked = error instanceof TransientClusterError ? error.retryAfterMs : undefined;
  return asked === undefined ? jittered : asked + Math.round(random() * policy.baseDelayMs);
}

/**
 * Runs `op` until it succeeds, throws a non-retryable error, or the attempts or deadline run out;
 * then rethrows the last error, its message saying how many attempts were made.
 * @example await withRetry(() => transport.send(req), DEFAULT_RETRY_POLICY, realRetryEnv)
 */
export async function withRetry<T>(op: (attempt: number) => Promise<T>, policy: RetryPolicy, env: RetryEnv): Promise<T> {
  const started = env.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (err) {
      if (!(err instanceof ClusterError) || !err.retryable) throw err;
      const delay = backoffMs(attempt, err, policy, env.random);
      const outOfTime = env.now() + delay - started > policy.deadlineMs;
      if (attempt >= policy.maxAttempts || outOfTime) throw gaveUp(err, attempt);
      await env.onRetry?.(attempt, err, delay);
      await env.sleep(delay);
    }
  }
}

function gaveUp(err: ClusterError, attempts: number): ClusterError {
  if (attempts === 1 || !(err instanceof TransientClusterError)) return err;
  return new TransientClusterError(`${err.message} (gave up after ${attempts} attempts)`, {
    code: err.code,
    reason: err.reason,
    cause: err,
  });
}
