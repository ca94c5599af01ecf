/**
 * The dashboard list's rows, kept for a short while in the api process (a warm Lambda container, or
 * the local runtime), so paging, filtering and the list's 5-second poll answer from memory instead of
 * reading every Application and status again: reading 5,000 of each costs about a second on DynamoDB
 * and more on the local emulator. Argo CD's server answers from its informer cache the same way.
 *
 * - Fresh for FRESH_MS: answered as is.
 * - Older, up to STALE_MS: answered at once while one read in the background replaces it (stale while
 *   revalidate), so a row is at most one poll behind.
 * - Older than that, or none: read now, and every request that arrives meanwhile waits for that read.
 * - A write through this process (register, delete, sync, rollback) forgets it: the next list reads.
 * `gitwave app list` (the route without `page`) never uses it. In Lambda a background read may be
 * frozen with the container between invocations; it resumes with the next one, and if it fails the
 * stale rows stay until STALE_MS, when a request reads again.
 */
export const FRESH_MS = 2_000;
export const STALE_MS = 30_000;

interface Snapshot<T> {
  readAt: number;
  value: Promise<T>;
  refreshing: boolean;
}

/** One snapshot per store (the api λ's store lives as long as its container). */
const snapshots = new WeakMap<object, Snapshot<unknown>>();

/**
 * The snapshot kept for `owner`, read with `read` when it is missing or too old.
 * @example const rows = await snapshot(deps.store, Date.now(), () => readRows(deps));
 */
export function snapshot<T>(owner: object, now: number, read: () => Promise<T>): Promise<T> {
  const kept = snapshots.get(owner) as Snapshot<T> | undefined;
  const age = kept ? now - kept.readAt : Infinity;
  if (kept && age <= FRESH_MS) return kept.value;
  if (kept && age <= STALE_MS) {
    if (!kept.refreshing) refreshInBackground(owner, kept, now, read);
    return kept.value;
  }
  const fresh: Snapshot<T> = { readAt: now, value: read(), refreshing: false };
  snapshots.set(owner, fresh);
  // A failed read is not kept: the next request tries again.
  fresh.value.catch(() => { if (snapshots.get(owner) === fresh) snapshots.delete(owner); });
  return fresh.value;
}

function refreshInBackground<T>(owner: object, kept: Snapshot<T>, now: number, read: () => Promise<T>): void {
  kept.refreshing = true;
  read().then(
    (value) => { if (snapshots.get(owner) === kept) snapshots.set(owner, { readAt: now, value: Promise.resolve(value), refreshing: false }); },
    () => { kept.refreshing = false; },
  );
}

/** Drops the snapshot of `owner` (after a write through this process). */
export function forgetSnapshot(owner: object): void {
  snapshots.delete(owner);
}
