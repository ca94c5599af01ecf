/**
 * The record task (`Record sync` / `Record failure`): the final operation state, the Application's
 * status and, for a Succeeded, non-dry-run, non-selective sync, a history entry (SPEC-sync §7.3;
 * a deploy with one-off overrides is entered as not from Git), all in one transaction conditional on
 * the fence. A stale holder records nothing. A failure keeps the last good revision in the status.
 */
import type { RecordTaskInput, RecordTaskResult, StepError } from '../lambda/contracts.ts';
import { LockLostError } from '../store/errors.ts';
import type { AppStatus, LockGuard, OperationRecord } from '../store/ports.ts';
import { isFinal, type OperationState } from '../sync/state.ts';
import { nowOf, type EngineDeps } from './deps.ts';
import { abortedState, STOPPED_ON_ERROR } from './loop.ts';
import { loadEngineResult, operationRecord, operationSummary } from './operation-record.ts';
import { outcomeStatus } from './outcome-status.ts';
import { isSelective, planKey, readPlan, type PlanDocument } from './plan-document.ts';

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

function statusAfter(plan: PlanDocument, record: OperationRecord, result: Parameters<typeof outcomeStatus>[1]): AppStatus {
  const outcome = outcomeStatus(plan, result);
  const status: AppStatus = { operationState: operationSummary(record), resources: outcome.resources, health: outcome.health };
  if (record.phase === 'Succeeded' && !plan.operation.dryRun && !isSelective(plan)) {
    status.sync = { status: record.fromGit ? outcome.sync : 'OutOfSync', revision: plan.revision };
  }
  return status;
}

/**
 * Records the end of an operation.
 * @example await runRecordTask(deps, { app, cluster, syncId, owner, fence, outcome: 'Succeeded' }) // { recorded: true }
 */
export async function runRecordTask(deps: EngineDeps, input: RecordTaskInput): Promise<RecordTaskResult> {
  const plan = await readPlan(deps.blobs, planKey(input.app, input.syncId), { app: input.app, syncId: input.syncId });
  const guard: LockGuard = { cluster: input.cluster, owner: input.owner, fence: input.fence };
  const result = await loadEngineResult(deps.store, plan, input.owner);
  const state = finalState(result.state, input, Math.floor(nowOf(deps) / 1000));
  const final = { ...result, state };
  const record = operationRecord(plan, final);
  try {
    await deps.store.finishOperation(record, guard, { revisionHistoryLimit: plan.revisionHistoryLimit, status: statusAfter(plan, record, final) });
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
