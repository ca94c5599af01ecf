/**
 * Errors of the state store, in the house shape (`Error` suffix, `name`, `{ cause }`). Callers decide
 * from the class: a lost lock or a stale fence means stop before the next cluster write.
 */

/** The lock is no longer ours (lease taken over, fence moved on): stop before the next write. */
export class LockLostError extends Error {
  override readonly name = 'LockLostError';
  constructor(readonly cluster: string, readonly fence: number, options?: { cause?: unknown }) {
    super(`cluster lock on ${cluster} lost: fence ${fence} is no longer current`, options);
  }
}

/** A write refused because the cluster lock is held by a running sync (drift skips the app). */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';
  constructor(readonly cluster: string, options?: { cause?: unknown }) {
    super(`cluster ${cluster} is locked by a running sync`, options);
  }
}

/** A stored value too large for one item (DynamoDB caps items at 400 KB). */
export class ItemTooLargeError extends Error {
  override readonly name = 'ItemTooLargeError';
}
