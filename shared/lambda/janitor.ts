/**
 * The janitor's job, for an execution that ended FAILED, TIMED_OUT or ABORTED.
 *
 * A cluster's writer (docs/engine.md), dead or handing over its history: free the cluster lock if that writer still owns it, then, if
 * syncs are still pending on the cluster, start a new writer for them (named after the dead writer's
 * fence, so a retried event starts one). Nothing pending is lost: pending syncs stay in DynamoDB
 * until a writer has run them.
 *
 * A sync (a writer's child): free the cluster lock if that execution still owns it (owner-conditional, never a delete,
 * so the fence keeps growing), mark its still-Running operation record Aborted, and end the operation
 * the Application status shows, if it still shows that one Running: phase `Error` (the operation did
 * not reach an outcome; some waves may have been applied), message `sync aborted: execution <name>
 * <STATUS> (<why>)`. Every step is conditional and idempotent, so EventBridge retries and executions
 * that already cleaned up are harmless. Bad input is logged and dropped: retrying it would not help.
 * This is the only janitor: functions/janitor.ts (and the local runtime, through it) calls it.
 */
import type { ClusterLock, OperationStore, StatusStore, SyncQueue } from '../store/ports.ts';
import { DEFAULT_CLUSTER_CONCURRENCY, type ExecutionStatusChangeDetail, type JanitorResult, type SyncExecutionInput, type WriterExecutionInput } from '../engine/contracts.ts';
import { writerExecutionName, type Executions } from '../engine/executions.ts';

export type JanitorPorts = Pick<ClusterLock, 'releaseAbandoned' | 'read'> & Pick<OperationStore, 'markOperationAborted'>
  & Pick<StatusStore, 'endOperationState'> & Pick<SyncQueue, 'pendingCount'>;

const ENDINGS: Record<ExecutionStatusChangeDetail['status'], string> = {
  FAILED: 'the sync execution failed before it could release the cluster lock',
  TIMED_OUT: 'the sync execution timed out',
  ABORTED: 'the sync execution was stopped',
  SUCCEEDED: 'the execution succeeded',
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
export async function cleanUpAfterExecution(detail: ExecutionStatusChangeDetail, ports: JanitorPorts, writers?: Executions): Promise<JanitorResult> {
  const writer = writerInputOf(detail.input);
  if (writer) return handOverQueue(detail, writer, ports, writers);
  if (detail.status === 'SUCCEEDED') return { released: false, skipped: 'a sync that succeeded released nothing of its own' };
  const input = syncInputOf(detail.input);
  if (!input) return { released: false, skipped: 'execution input is neither a sync nor a writer input' };
  const released = await ports.releaseAbandoned(input.cluster, detail.executionArn);
  const message = abortMessage(detail);
  const operationAborted = await ports.markOperationAborted(input.app, input.syncId, message);
  // Conditional on the status still showing this operation, so a sync that started since is never overwritten.
  const statusEnded = await ports.endOperationState(input.app, input.syncId, { phase: 'Error', message });
  return { released, cluster: input.cluster, operationAborted, statusEnded };
}

/**
 * A dead writer, or one that handed over (SUCCEEDED while still holding the lock): its lock freed, and
 * a new writer started when syncs are still pending. A writer that succeeded without the lock had
 * released it itself, idle: nothing to do. A request made while the lock was still held put its
 * pending item before it saw the holder, so the count below sees it.
 */
async function handOverQueue(detail: ExecutionStatusChangeDetail, input: WriterExecutionInput, ports: JanitorPorts, writers?: Executions): Promise<JanitorResult> {
  const released = await ports.releaseAbandoned(input.cluster, detail.executionArn);
  if (detail.status === 'SUCCEEDED' && !released) return { released, cluster: input.cluster };
  const pending = await ports.pendingCount(input.cluster);
  if (pending === 0) return { released, cluster: input.cluster };
  if (!writers) throw new Error('the janitor needs an executions port to start a writer');
  const fence = (await ports.read(input.cluster))?.fence ?? 0;
  const started = await writers.start(writerExecutionName(input.cluster, fence, 'janitor'), input);
  return { released, cluster: input.cluster, writerStarted: started.executionArn };
}

function writerInputOf(text: string | null | undefined): WriterExecutionInput | undefined {
  const value = parsed(text);
  if (typeof value.cluster !== 'string' || value.cluster === '' || 'app' in value) return undefined;
  const concurrency = Number.isInteger(value.concurrency) ? Number(value.concurrency) : DEFAULT_CLUSTER_CONCURRENCY;
  return { cluster: value.cluster, concurrency };
}

function parsed(text: string | null | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function syncInputOf(text: string | null | undefined): Pick<SyncExecutionInput, 'app' | 'cluster' | 'syncId'> | undefined {
  const { app, cluster, syncId } = parsed(text);
  const usable = [app, cluster, syncId].every((field) => typeof field === 'string' && field !== '');
  return usable ? { app: app as string, cluster: cluster as string, syncId: syncId as string } : undefined;
}
