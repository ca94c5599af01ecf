/**
 * The lock task: the writer state machine's `Acquire cluster lock`, `Claim pending syncs` and
 * `Release cluster lock if idle` (docs/engine.md, "One writer per cluster"). Acquire answers the
 * contract's LockState (the fence when acquired, the holder when not). Claim forgets the syncs the
 * last round ran, renews the lease and answers the syncs to run now, each with its child execution
 * name. Release frees the lock only while owner and fence are still the writer's and, given the
 * claim's `seq`, only if no request came since.
 */
import type { AcquireLockInput, ChildSync, ClaimInput, ClaimResult, LockState, LockTaskInput, ReleaseLockInput, ReleaseLockResult } from './contracts.ts';
import { childExecutionName } from './executions.ts';
import { leaseOf, type EngineDeps } from './deps.ts';

type LockDeps = Pick<EngineDeps, 'store' | 'leaseMs'>;

/**
 * Acquires (or re-acquires, for a retried task of the same execution) the cluster lock.
 * @example await acquireLock(deps, { action: 'acquire', cluster: 'dev', syncId: 'dev-7', owner: writerArn, attempt: 1 }) // { acquired: true, attempt: 1, fence: 7 }
 */
export async function acquireLock(deps: LockDeps, input: AcquireLockInput): Promise<LockState> {
  const result = await deps.store.acquire(input.cluster, input.owner, { syncId: input.syncId, leaseMs: leaseOf(deps) });
  if (result.acquired) return { acquired: true, attempt: input.attempt, fence: result.fence };
  return { acquired: false, attempt: input.attempt, ...(result.holder?.owner ? { holder: result.holder.owner } : {}) };
}

/**
 * One round of the writer: the syncs of the last round leave the queue (unless a newer request of
 * the app replaced theirs), the lease is renewed (LockLostError when the writer lost the cluster),
 * and the pending syncs are answered for the next Map.
 * @example await claimPending(deps, { action: 'claim', cluster: 'dev', owner, fence: 7, done: [{ app: 'web', syncId }] }) // { seq: 12, syncs: [...] }
 */
export async function claimPending(deps: LockDeps, input: ClaimInput): Promise<ClaimResult> {
  if (input.done?.length) await deps.store.finishPending(input.cluster, input.done);
  const guard = { cluster: input.cluster, owner: input.owner, fence: input.fence };
  const claimed = await deps.store.claimPending(guard, { leaseMs: leaseOf(deps) });
  const syncs = claimed.requests.map((r): ChildSync => ({
    app: r.app, cluster: input.cluster, syncId: r.syncId, planKey: r.planKey, revision: r.revision,
    owner: input.owner, fence: input.fence, name: childExecutionName(r.syncId, input.fence),
  }));
  return { seq: claimed.seq, syncs };
}

/** Releases the lock if it is still ours (owner and fence, and `seq` when given); `released: false` changes nothing. */
export async function releaseLock(deps: Pick<EngineDeps, 'store'>, input: ReleaseLockInput): Promise<ReleaseLockResult> {
  const guard = { cluster: input.cluster, owner: input.owner, fence: input.fence };
  return { released: input.seq === undefined ? await deps.store.release(guard) : await deps.store.releaseIfIdle(guard, input.seq) };
}

/** The lock task: one of the three. */
export function runLockTask(deps: LockDeps, input: LockTaskInput): Promise<LockState | ClaimResult | ReleaseLockResult> {
  if (input.action === 'acquire') return acquireLock(deps, input);
  if (input.action === 'claim') return claimPending(deps, input);
  return releaseLock(deps, input);
}
