/**
 * The janitor's job, for an execution of the sync state machine that ended FAILED, TIMED_OUT or
 * ABORTED: free the cluster lock if that execution still owns it (owner-conditional, never a delete,
 * so the fence keeps growing), and mark its still-Running operation record Aborted. Both steps are
 * idempotent, so EventBridge retries and executions that already cleaned up are harmless. Bad input
 * is logged and dropped: retrying it would not make it better.
 */
import type { ClusterLock, OperationStore } from '../store/ports.ts';
import type { ExecutionStatusChangeDetail, JanitorResult, SyncExecutionInput } from './contracts.ts';

export type JanitorPorts = Pick<ClusterLock, 'releaseAbandoned'> & Pick<OperationStore, 'markOperationAborted'>;

const ENDINGS: Record<ExecutionStatusChangeDetail['status'], string> = {
  FAILED: 'the sync execution failed before it could release the cluster lock',
  TIMED_OUT: 'the sync execution timed out',
  ABORTED: 'the sync execution was stopped',
};

/**
 * @example await cleanUpAfterExecution(event.detail, stateStore())
 *          // { released: true, cluster: 'dev', operationAborted: true }
 */
export async function cleanUpAfterExecution(detail: ExecutionStatusChangeDetail, ports: JanitorPorts): Promise<JanitorResult> {
  const input = syncInputOf(detail.input);
  if (!input) return { released: false, skipped: 'execution input is not a sync input' };
  const released = await ports.releaseAbandoned(input.cluster, detail.executionArn);
  const message = ENDINGS[detail.status] ?? `the sync execution ended ${detail.status}`;
  const operationAborted = await ports.markOperationAborted(input.app, input.syncId, message);
  return { released, cluster: input.cluster, operationAborted };
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
