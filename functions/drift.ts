/**
 * drift λ: scheduled sweep: live state per cluster, status, selfHeal requests, missed commits.
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { DriftScheduleInput, DriftResult } from '../shared/lambda/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: DriftScheduleInput): Promise<DriftResult> => {
  throw new Error('not implemented: drift handler');
});
