/**
 * The record task (`Record sync` / `Record failure`): the final operation state (with the operation
 * summary on the status) and, for a Succeeded, non-dry-run, non-selective sync, a history entry
 * (SPEC-sync §7.3; a deploy with one-off overrides is entered as not from Git), in one transaction
 * conditional on the fence. Just before, the outcome as status (resources, health, and a success's
 * sync status), fenced too, and only while the status still compares against this operation's
 * revision: a newer commit compared during the sync stays shown until its own sync applies it
 * (SPEC-sync §5.1). A stale holder records nothing. A failure leaves the sync status to the comparison.
 *
 * A Failed or Error attempt with retries left (SPEC-sync §6, shared/sync afterOperation) is not the
 * end: the operation goes back to Running with its results cleared and `. Retrying attempt #N at <t>.`
 * in its message, the lease is stretched over the backoff, and the answer tells the state machine how
 * long to wait before it runs the phases again under the same lock and fence. The final message of an
 * operation that was retried ends `(retried N times).`
 */
import type { RecordTaskInput, RecordTaskResult, StepError } from './contracts.ts';
import { LockLostError } from '../store/errors.ts';
import type { AppStatus, LockGuard, OperationRecord } from '../store/ports.ts';
import { afterOperation } from '../sync/auto-sync.ts';
import { isFinal, type OperationState } from '../sync/state.ts';
import { leaseOf, nowOf, type EngineDeps } from './deps.ts';
import { abortedState, STOPPED_ON_ERROR } from './loop.ts';
import { loadEngineResult, operationRecord, operationSummary, type EngineResult } from './operation-record.ts';
import { outcomeStatus } from './outcome-status.ts';
import type { ResourceRow } from './compare.ts';
import { planKey, readPlan, type PlanDocument } from './plan-document.ts';

const MAX_MESSAGE = 1000;

/**
 * The readable reason of a caught error: a Lambda's `errorMessage` when the cause is its JSON.
 * @example errorMessage({ Error: 'TransientClusterError', Cause: '{"errorMessage":"failed to apply …"}' }) // 'failed to apply …'
 */
export function errorMessage(error: StepError | undefined): string {
  if (!error) return 'the sync failed';
  let cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed?.errorMessage === 'string') cause = parsed.errorMessage;
  } catch {
    // A plain-text cause (a Fail state's own) is shown as it is.
  }
  return `${error.Error}${cause ? `: ${cause}` : ''}`.slice(0, MAX_MESSAGE);
}

/**
 * The state to record: the tick's own when final (with the caught error's words when SyncFail had
 * to stop the operation for it), else ended by the state machine's verdict.
 */
function finalState(state: OperationState, input: RecordTaskInput, now: number): OperationState {
  if (state.message === STOPPED_ON_ERROR && input.error) return { ...state, message: errorMessage(input.error) };
  if (isFinal(state.phase)) return state;
  if (input.outcome === 'Failed') return abortedState(state, errorMessage(input.error), now);
  return { ...abortedState(state, 'the sync ended before its operation completed', now), phase: 'Error' };
}

/**
 * The outcome as status. A successful sync, selective ones (selfHeal) included, refreshes the sync
 * status at once (Synced when it applied or healed every OutOfSync resource).
 */
function outcomeAfter(plan: PlanDocument, record: OperationRecord, result: EngineResult, previous: AppStatus | undefined): AppStatus {
  const outcome = outcomeStatus(plan, result, (previous?.resources ?? []) as ResourceRow[]);
  const status: AppStatus = { resources: outcome.resources, health: outcome.health };
  if (record.phase === 'Succeeded' && !plan.operation.dryRun) status.sync = { status: record.fromGit ? outcome.sync : 'OutOfSync', revision: plan.revision };
  return status;
}

/** The outcome as status, unless a newer commit was compared meanwhile (LockLostError for a stale holder). */
async function writeOutcome(deps: EngineDeps, plan: PlanDocument, record: OperationRecord, result: EngineResult, guard: LockGuard): Promise<void> {
  const outcome = outcomeAfter(plan, record, result, await deps.store.getStatus(plan.app));
  if (!await deps.store.writeOutcomeStatus(plan.app, outcome, guard, plan.revision)) {
    deps.log?.('info', 'sync outcome not shown as status: it compares against a newer commit', { app: plan.app, syncId: plan.syncId });
  }
}

/**
 * Records the end of an operation.
 * @example await runRecordTask(deps, { app, cluster, syncId, owner, fence, outcome: 'Succeeded' }) // { recorded: true }
 */
export async function runRecordTask(deps: EngineDeps, input: RecordTaskInput): Promise<RecordTaskResult> {
  const plan = await readPlan(deps.blobs, planKey(input.app, input.syncId), { app: input.app, syncId: input.syncId });
  const guard: LockGuard = { cluster: input.cluster, owner: input.owner, fence: input.fence };
  const result = await loadEngineResult(deps.store, plan, input.owner, input.fence);
  const now = Math.floor(nowOf(deps) / 1000);
  if (result.superseded) return recordSuperseded(deps, plan, guard, result);
  const after = afterOperation(finalState(result.state, input, now), plan.operation.retry, now);
  const final = { ...result, state: after.state };
  const record = operationRecord(plan, final);
  try {
    if (after.retry) return await scheduleRetry(deps, plan, guard, final, { waitSeconds: after.at - now, at: after.at });
    await writeOutcome(deps, plan, record, final, guard);
    await deps.store.finishOperation(record, guard, { revisionHistoryLimit: plan.revisionHistoryLimit, status: { operationState: operationSummary(record) } });
  } catch (error) {
    if (error instanceof LockLostError) {
      deps.log?.('warn', 'sync outcome not recorded: the cluster lock is no longer ours', { app: input.app, syncId: input.syncId });
      return { recorded: false };
    }
    throw error;
  }
  await notify(deps, plan, record);
  return { recorded: true };
}

/**
 * A superseded operation (supersede.ts): its record ends Terminated, never retried, with no history
 * entry and no status write (the status belongs to the newer sync), and no notification.
 */
async function recordSuperseded(deps: EngineDeps, plan: PlanDocument, guard: LockGuard, result: EngineResult): Promise<RecordTaskResult> {
  const record: OperationRecord = { ...operationRecord(plan, result), phase: 'Terminated' };
  try {
    await deps.store.finishOperation(record, guard, { revisionHistoryLimit: plan.revisionHistoryLimit });
    return { recorded: true };
  } catch (error) {
    if (error instanceof LockLostError) return { recorded: false };
    throw error;
  }
}

/**
 * The operation, Running again with its results cleared, recorded (fenced) for the next attempt; the
 * lease first stretched over the wait so no other sync takes the cluster in between.
 */
async function scheduleRetry(deps: EngineDeps, plan: PlanDocument, guard: LockGuard, result: EngineResult, next: { waitSeconds: number; at: number }): Promise<RecordTaskResult> {
  const { waitSeconds } = next;
  await deps.store.renew(guard, { leaseMs: waitSeconds * 1000 + leaseOf(deps) });
  const { loop: _loop, ...rest } = result;
  const record = operationRecord(plan, { ...rest, health: {} });
  await deps.store.putOperation(record, guard);
  await deps.store.writeStatus(plan.app, { operationState: operationSummary(record) }, guard);
  const at = new Date(next.at * 1000).toISOString();
  deps.log?.('info', 'failed sync attempt will be retried', { app: plan.app, syncId: plan.syncId, attempt: result.state.retryCount, at });
  return { recorded: true, retry: { attempt: result.state.retryCount, waitSeconds, at } };
}

async function notify(deps: EngineDeps, plan: PlanDocument, record: OperationRecord): Promise<void> {
  if (!deps.notifier) return;
  try {
    await deps.notifier.notify({
      app: plan.app, syncId: plan.syncId, cluster: plan.cluster, phase: record.phase, message: record.message ?? '',
      revision: plan.revision, dryRun: plan.operation.dryRun, fromGit: record.fromGit,
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
    });
  } catch (error) {
    // The outcome is recorded; a lost notification must not fail the sync.
    deps.log?.('warn', 'sync notification not sent', { app: plan.app, error: error instanceof Error ? error.message : String(error) });
  }
}
