/**
 * janitor λ: EventBridge "Step Functions Execution Status Change" (FAILED / TIMED_OUT / ABORTED) of
 * the sync and writer state machines → a dead writer's lock freed and its pending syncs handed to a
 * new writer; a dead sync's operation marked Aborted and ended on the Application status (SECURITY.md
 * §4, docs/engine.md). The work is in shared/lambda/janitor.ts.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { ENV, requiredEnv } from '../shared/config/env.ts';
import type { ExecutionStatusChangeDetail, JanitorResult } from '../shared/engine/contracts.ts';
import { cleanUpAfterExecution, type JanitorPorts } from '../shared/lambda/janitor.ts';
import { middifyEvent, powertools } from '../shared/lambda/middify.ts';
import { createStore } from '../shared/store/index.ts';
import { SFNClient } from '@aws-sdk/client-sfn';
import { sfnExecutions, type Executions } from '../shared/engine/executions.ts';

type ExecutionEnded = EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChangeDetail>;

// Built on the first call, reused while the function stays warm.
let store: JanitorPorts | undefined;
let writers: Executions | undefined;

export const handler = middifyEvent(async (event: ExecutionEnded): Promise<JanitorResult> => {
  store ??= createStore({ tableName: requiredEnv(ENV.TABLE_NAME) });
  writers ??= sfnExecutions(new SFNClient({}), requiredEnv(ENV.WRITER_STATE_MACHINE_ARN));
  const result = await cleanUpAfterExecution(event.detail, store, writers);
  powertools().logger.info('execution cleaned up', { executionArn: event.detail.executionArn, status: event.detail.status, ...result });
  return result;
});
