/**
 * record λ: the `Record sync` and `Record failure` states: status, history and the SNS notification, conditional on the fence.
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { RecordTaskInput, RecordTaskResult } from '../shared/lambda/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: RecordTaskInput): Promise<RecordTaskResult> => {
  throw new Error('not implemented: record handler');
});
