/**
 * lock λ: the `Acquire cluster lock` and `Release cluster lock` states (SECURITY.md §4).
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import type { LockTaskInput, AcquireLockResult, ReleaseLockResult } from '../shared/lambda/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';

export const handler = middifyEvent(async (_input: LockTaskInput): Promise<AcquireLockResult | ReleaseLockResult> => {
  throw new Error('not implemented: lock handler');
});
