/**
 * lock λ: the writer state machine's `Acquire cluster lock`, `Claim pending syncs` and `Release
 * cluster lock if idle` states (SECURITY.md §4, docs/engine.md). Acquire answers the LockState (fence
 * or holder); claim the syncs to run; release frees the lock only while owner and fence are still
 * the writer's and no request came since its claim.
 */
import type { AcquireLockResult, ClaimResult, ReleaseLockResult } from '../shared/engine/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { runLockTask } from '../shared/engine/lock-task.ts';
import { parseLockInput } from '../shared/engine/task-inputs.ts';

export const handler = middifyEvent(async (event: unknown): Promise<AcquireLockResult | ClaimResult | ReleaseLockResult> => runLockTask(engineDeps(), parseLockInput(event)));
