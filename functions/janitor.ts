/**
 * janitor λ: EventBridge "Step Functions Execution Status Change" (FAILED / TIMED_OUT / ABORTED) of
 * the sync state machine → release the cluster lock still owned by that execution and mark its
 * operation Aborted (SECURITY.md §4). The work is in shared/lambda/janitor.ts.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import type { ExecutionStatusChangeDetail, JanitorResult } from '../shared/lambda/contracts.ts';
import { cleanUpAfterExecution } from '../shared/lambda/janitor.ts';
import { middifyEvent, powertools } from '../shared/lambda/middify.ts';
import { stateStore } from '../shared/lambda/runtime.ts';

type ExecutionEnded = EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChangeDetail>;

export const handler = middifyEvent(async (event: ExecutionEnded): Promise<JanitorResult> => {
  const result = await cleanUpAfterExecution(event.detail, stateStore());
  powertools().logger.info('execution cleaned up', { executionArn: event.detail.executionArn, status: event.detail.status, ...result });
  return result;
});
