/**
 * janitor λ: EventBridge "Step Functions Execution Status Change" (FAILED / TIMED_OUT / ABORTED) of
 * the sync state machine → release the cluster lock still owned by that execution, mark its
 * operation Aborted and end it on the Application status (SECURITY.md §4). The work is in
 * shared/lambda/janitor.ts.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { ENV, requiredEnv } from '../shared/config/env.ts';
import type { ExecutionStatusChangeDetail, JanitorResult } from '../shared/engine/contracts.ts';
import { cleanUpAfterExecution, type JanitorPorts } from '../shared/lambda/janitor.ts';
import { middifyEvent, powertools } from '../shared/lambda/middify.ts';
import { createStore } from '../shared/store/index.ts';

type ExecutionEnded = EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChangeDetail>;

// Built on the first call, reused while the function stays warm.
let store: JanitorPorts | undefined;

export const handler = middifyEvent(async (event: ExecutionEnded): Promise<JanitorResult> => {
  store ??= createStore({ tableName: requiredEnv(ENV.TABLE_NAME) });
  const result = await cleanUpAfterExecution(event.detail, store);
  powertools().logger.info('execution cleaned up', { executionArn: event.detail.executionArn, status: event.detail.status, ...result });
  return result;
});
