/**
 * The lock task: the writer state machine's `Acquire cluster lock`, `Claim pending syncs` and
 * `Release cluster lock if idle` (docs/engine.md, "One writer per cluster"). Acquire answers the
 * contract's LockState (the fence when acquired, the holder when not). Claim forgets the syncs the
 * last round ran, renews the lease and answers the syncs to run now, each with its child execution
 * name. Release frees the lock only while owner and fence are still the writer's and, given the
 * claim's `seq`, only if no request came since.
 */
import { WRITER_EVENT_BUDGET, type AcquireLockInput, type ChildSync, type ClaimInput, type ClaimResult, type LockState, type LockTaskInput, type ReleaseLockInput, type ReleaseLockResult } from './contracts.ts';
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
    owner: input.owner, fence: input.fence, resumes: r.resumes ?? 0, name: childExecutionName(r.syncId, input.fence, r.resumes),
  }));
  return { seq: claimed.seq, syncs, ...historyBudget(input, syncs.length) };
}

/**
 * History events of one writer round in Step Functions: the claim task (5), its Choice (2) and the
 * Map's own (4), plus per child the Map iteration with its startExecution.sync task and Pass (10).
 * Both rounded up, so the estimate stays above the real count.
 */
const ROUND_EVENTS = 12;
const CHILD_EVENTS = 12;

/**
 * What the writer has spent once the last round is counted, and whether the next round would take it
 * past its budget. A writer that has run nothing yet never hands over, so every writer makes progress.
 * @example historyBudget({ spent: 19_990, done: [] }, 10) // { spent: 20_002, handOver: true }
 */
export function historyBudget(input: Pick<ClaimInput, 'spent' | 'done' | 'eventBudget'>, next: number): { spent: number; handOver: boolean } {
  const before = input.spent ?? 0;
  const spent = before + ROUND_EVENTS + (input.done?.length ?? 0) * CHILD_EVENTS;
  const budget = input.eventBudget ?? WRITER_EVENT_BUDGET;
  return { spent, handOver: before > 0 && next > 0 && spent + ROUND_EVENTS + next * CHILD_EVENTS > budget };
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
