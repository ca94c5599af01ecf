/**
 * janitor λ: releases a lock still held by a FAILED / TIMED_OUT / ABORTED execution.
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import type { ExecutionStatusChangeDetail, JanitorResult } from '../shared/lambda/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: EventBridgeEvent<'Step Functions Execution Status Change', ExecutionStatusChangeDetail>): Promise<JanitorResult> => {
  throw new Error('not implemented: janitor handler');
});
