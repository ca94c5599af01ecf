/**
 * The lock task (`Acquire cluster lock` / `Release cluster lock`): the cluster lock of SECURITY.md §4
 * as the state machine sees it. Acquire answers the contract's LockState: the attempt echoed (the
 * wait loop counts it), the fence when acquired, the holder when not. Release frees the lock only
 * while owner and fence are still ours.
 */
import type { AcquireLockInput, LockState, LockTaskInput, ReleaseLockInput, ReleaseLockResult } from './contracts.ts';
import { leaseOf, type EngineDeps } from './deps.ts';

/**
 * Acquires (or re-acquires, for a retried task of the same execution) the cluster lock.
 * @example await acquireLock(deps, { action: 'acquire', cluster: 'dev', syncId, owner: executionArn, attempt: 1 }) // { acquired: true, attempt: 1, fence: 7 }
 */
export async function acquireLock(deps: Pick<EngineDeps, 'store' | 'leaseMs'>, input: AcquireLockInput): Promise<LockState> {
  const result = await deps.store.acquire(input.cluster, input.owner, { syncId: input.syncId, leaseMs: leaseOf(deps) });
  if (result.acquired) return { acquired: true, attempt: input.attempt, fence: result.fence };
  return { acquired: false, attempt: input.attempt, ...(result.holder?.owner ? { holder: result.holder.owner } : {}) };
}

/** Releases the lock if it is still ours (owner and fence); `released: false` changes nothing. */
export async function releaseLock(deps: Pick<EngineDeps, 'store'>, input: ReleaseLockInput): Promise<ReleaseLockResult> {
  return { released: await deps.store.release({ cluster: input.cluster, owner: input.owner, fence: input.fence }) };
}

/** The lock task: one of the two. */
export function runLockTask(deps: Pick<EngineDeps, 'store' | 'leaseMs'>, input: LockTaskInput): Promise<LockState | ReleaseLockResult> {
  return input.action === 'acquire' ? acquireLock(deps, input) : releaseLock(deps, input);
}
