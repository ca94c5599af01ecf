/**
 * render λ: consumes the request queue: fetches the commit, renders, validates, writes `rendered/` and hands over to the plan λ.
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { SQSEvent, SQSBatchResponse } from 'aws-lambda';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: SQSEvent): Promise<SQSBatchResponse> => {
  throw new Error('not implemented: render handler');
});
