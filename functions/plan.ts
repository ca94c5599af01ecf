/**
 * plan λ: diffs the render with the live objects, writes the plan and starts the sync state machine.
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { PlanRequest, PlanResult } from '../shared/lambda/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: PlanRequest): Promise<PlanResult> => {
  throw new Error('not implemented: plan handler');
});
