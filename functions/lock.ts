/**
 * lock λ: the `Acquire cluster lock` and `Release cluster lock` states (SECURITY.md §4). Acquire
 * answers the LockState the wait loop reads (attempt echoed, fence or holder); release frees the
 * lock only while owner and fence are still the execution's.
 */
import type { AcquireLockResult, ReleaseLockResult } from '../shared/engine/contracts.ts';
import { middifyEvent } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { runLockTask } from '../shared/engine/lock-task.ts';
import { parseLockInput } from '../shared/engine/task-inputs.ts';

export const handler = middifyEvent(async (event: unknown): Promise<AcquireLockResult | ReleaseLockResult> => runLockTask(engineDeps(), parseLockInput(event)));
