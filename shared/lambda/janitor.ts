/**
 * The janitor's job, for an execution of the sync state machine that ended FAILED, TIMED_OUT or
 * ABORTED: free the cluster lock if that execution still owns it (owner-conditional, never a delete,
 * so the fence keeps growing), mark its still-Running operation record Aborted, and end the operation
 * the Application status shows, if it still shows that one Running: phase `Error` (the operation did
 * not reach an outcome; some waves may have been applied), message `sync aborted: execution <name>
 * <STATUS> (<why>)`. Every step is conditional and idempotent, so EventBridge retries and executions
 * that already cleaned up are harmless. Bad input is logged and dropped: retrying it would not help.
 * This is the only janitor: functions/janitor.ts (and the local runtime, through it) calls it.
 */
import type { ClusterLock, OperationStore, StatusStore } from '../store/ports.ts';
import type { ExecutionStatusChangeDetail, JanitorResult, SyncExecutionInput } from '../engine/contracts.ts';

export type JanitorPorts = Pick<ClusterLock, 'releaseAbandoned'> & Pick<OperationStore, 'markOperationAborted'> & Pick<StatusStore, 'endOperationState'>;

const ENDINGS: Record<ExecutionStatusChangeDetail['status'], string> = {
  FAILED: 'the sync execution failed before it could release the cluster lock',
  TIMED_OUT: 'the sync execution timed out',
  ABORTED: 'the sync execution was stopped',
};

/** The execution's name: the last field of its ARN. */
function executionName(arn: string): string {
  return arn.slice(arn.lastIndexOf(':') + 1) || arn;
}

/**
 * The message recorded on the operation and the status.
 * @example abortMessage({ executionArn: '…:execution:gitwave-sync:web-abc', status: 'ABORTED', … })
 *          // 'sync aborted: execution web-abc ABORTED (the sync execution was stopped)'
 */
export function abortMessage(detail: ExecutionStatusChangeDetail): string {
  const why = ENDINGS[detail.status] ?? `the sync execution ended ${String(detail.status).toLowerCase()}`;
  return `sync aborted: execution ${executionName(detail.executionArn)} ${detail.status} (${why})`;
}

/**
 * @example await cleanUpAfterExecution(event.detail, stateStore())
 *          // { released: true, cluster: 'dev', operationAborted: true, statusEnded: true }
 */
export async function cleanUpAfterExecution(detail: ExecutionStatusChangeDetail, ports: JanitorPorts): Promise<JanitorResult> {
  const input = syncInputOf(detail.input);
  if (!input) return { released: false, skipped: 'execution input is not a sync input' };
  const released = await ports.releaseAbandoned(input.cluster, detail.executionArn);
  const message = abortMessage(detail);
  const operationAborted = await ports.markOperationAborted(input.app, input.syncId, message);
  // Conditional on the status still showing this operation, so a sync that started since is never overwritten.
  const statusEnded = await ports.endOperationState(input.app, input.syncId, { phase: 'Error', message });
  return { released, cluster: input.cluster, operationAborted, statusEnded };
}

function syncInputOf(text: string | null | undefined): Pick<SyncExecutionInput, 'app' | 'cluster' | 'syncId'> | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const { app, cluster, syncId } = (value ?? {}) as Record<string, unknown>;
  const usable = [app, cluster, syncId].every((field) => typeof field === 'string' && field !== '');
  return usable ? { app: app as string, cluster: cluster as string, syncId: syncId as string } : undefined;
}
