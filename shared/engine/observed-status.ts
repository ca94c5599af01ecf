/**
 * A comparison written as the Application's status, whether or not a sync holds the cluster (SPEC-sync
 * §5.1: the status compares against the newest commit, also while a sync runs). The write is
 * conditional on the status it started from (store/status.ts, `comparedSeq`): when a sync recorded its
 * outcome, or another comparison was written, while this one listed the cluster, it is refused rather
 * than putting an older view back, and the comparison is made again from a fresh read.
 */
import type { AppStatus, StatusStore } from '../store/ports.ts';

/** Comparisons made before giving up (a sync outcome or a sweep overtakes one rarely, never twice in a row in practice). */
export const OBSERVE_ATTEMPTS = 3;

/** Every attempt was overtaken: the caller's request comes back later (queue retry, next sweep). */
export class StatusContendedError extends Error {
  override readonly name = 'StatusContendedError';
  constructor(readonly app: string, attempts: number) {
    super(`application ${app}: status changed during each of ${attempts} comparisons; not written`);
  }
}

/**
 * Reads the status, makes the comparison from it, writes it unless overtaken, and repeats if it was.
 * @example const planned = await observeStatus(store, 'web', async (previous) => ({ status: patchOf(previous), value: planned }));
 */
export async function observeStatus<T>(
  store: Pick<StatusStore, 'getStatus' | 'writeObservedStatus'>, app: string,
  observe: (previous: AppStatus | undefined) => Promise<{ status: AppStatus; value: T }>,
): Promise<T> {
  for (let attempt = 1; attempt <= OBSERVE_ATTEMPTS; attempt++) {
    const previous = await store.getStatus(app);
    const { status, value } = await observe(previous);
    if (await store.writeObservedStatus(app, status, previous)) return value;
  }
  throw new StatusContendedError(app, OBSERVE_ATTEMPTS);
}
