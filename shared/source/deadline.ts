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
export function abortedError(signal: AbortSignal, what: string, limits: SourceLimits): SourceFetchError {
  const reason = signal.reason as { name?: string } | undefined;
  return reason?.name === 'TimeoutError'
    ? new SourceFetchError(`deadline of ${limits.timeoutMs} ms exceeded while ${what}`)
    : new SourceFetchError(`aborted while ${what}`);
}

/** Runs `work`; if it fails after `signal` aborted, the abort is what is reported. */
export async function underDeadline<T>(signal: AbortSignal, what: string, limits: SourceLimits, work: () => Promise<T>): Promise<T> {
  if (signal.aborted) throw abortedError(signal, what, limits);
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortedError(signal, what, limits));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), aborted]);
  } catch (error) {
    if (signal.aborted) throw abortedError(signal, what, limits);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
