/**
 * check-wave λ: one tick of a phase: reads health of the running group and decides the next step.
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { WaveTaskInput, WaveTaskResult } from '../shared/lambda/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: WaveTaskInput): Promise<WaveTaskResult> => {
  throw new Error('not implemented: check-wave handler');
});
