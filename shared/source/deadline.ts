/**
 * One deadline per source call (GHSA-jhwx-mhww-rgc3: a fetch with no time limit ties the server
 * up). The signal combines the call's own timeout with the caller's signal; every network read,
 * child process and extraction step of the call listens to it.
 */
import { SourceFetchError } from './errors.ts';
import type { SourceCallOptions, SourceLimits } from './types.ts';

/** A signal that aborts after `limits.timeoutMs` or when the caller's signal aborts. */
export function callSignal(limits: SourceLimits, options?: SourceCallOptions): AbortSignal {
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  return options?.signal ? AbortSignal.any([timeout, options.signal]) : timeout;
}

/** The error to throw once `signal` has aborted, naming what was being done. */
function abortedError(signal: AbortSignal, what: string, limits: SourceLimits): SourceFetchError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new SourceFetchError(`deadline of ${limits.timeoutMs} ms exceeded while ${what}`)
    : new SourceFetchError(`aborted while ${what}`);
}

/** How long an aborted call may take to wind down (close streams, remove its work directory). */
const WIND_DOWN_MS = 5_000;

/**
 * Runs `work` (which must listen to `signal`). When `signal` aborts, waits for `work` to wind down
 * (bounded), so its cleanup is finished before the caller sees the deadline error.
 */
export async function underDeadline<T>(signal: AbortSignal, what: string, limits: SourceLimits, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw abortedError(signal, what, limits);
  const running = work();
  let onAbort!: () => void;
  const aborted = new Promise<'aborted'>((resolve) => {
    onAbort = () => resolve('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const first = await Promise.race([running, aborted]);
    if (first !== 'aborted') return first as T;
    const settled = running.then(() => undefined, () => undefined);
    await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, WIND_DOWN_MS).unref())]);
    throw abortedError(signal, what, limits);
  } catch (error) {
    if (signal.aborted) throw abortedError(signal, what, limits);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
