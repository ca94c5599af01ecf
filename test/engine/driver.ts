// The sync state machine's order of calls (infra/constructs/sync-definition.ts), played by hand so the
// engine tests need no Step Functions: acquire the lock (waiting while it is held), the PreSync, Sync
// and PostSync loops (apply → Choice → wait → check …), and on a failure the SyncFail loop; then record
// and release. A task error ends the try block as the Parallel's catch would.
import { setTimeout as sleep } from 'node:timers/promises';
import { SYNC_PHASES, type LockState, type RecordTaskResult, type ReleaseLockResult, type StepError, type SyncExecutionInput, type SyncPhase, type WaveTaskResult } from '../../shared/lambda/contracts.ts';
import type { EngineDeps } from '../../shared/engine/deps.ts';
import { acquireLock, releaseLock } from '../../shared/engine/lock-task.ts';
import { runRecordTask } from '../../shared/engine/record-task.ts';
import { runWaveTask } from '../../shared/engine/wave-task.ts';

export interface Step {
  phase: SyncPhase;
  mode: 'apply' | 'check';
  result: WaveTaskResult;
}

export interface Drive {
  lock: LockState;
  steps: Step[];
  error?: StepError;
  recorded: RecordTaskResult;
  released: ReleaseLockResult;
}

export interface DriveOptions {
  /** The Wait state between apply and check (real, short). */
  waitMs?: number;
  /** Bounds each loop, so a test that goes wrong ends. */
  maxSteps?: number;
}

function stepError(error: unknown): StepError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { Error: e.name, Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message }) };
}

/** One phase loop; answers how it ended. */
export async function phaseLoop(deps: EngineDeps, input: Omit<Parameters<typeof runWaveTask>[1], 'phase'>, phase: SyncPhase, steps: Step[], options: DriveOptions = {}): Promise<'done' | 'failed'> {
  const task = { ...input, phase };
  let mode: Step['mode'] = 'apply';
  for (let i = 0; i < (options.maxSteps ?? 200); i++) {
    const result = await runWaveTask(deps, task, mode);
    steps.push({ phase, mode, result });
    if (result.status === 'phaseDone') return 'done';
    if (result.status === 'failed') return 'failed';
    if (result.status === 'waveDone') mode = 'apply';
    else {
      await sleep(options.waitMs ?? 100);
      mode = 'check';
    }
  }
  throw new Error(`phase ${phase} did not end within ${options.maxSteps ?? 200} steps`);
}

/** The whole execution, as Step Functions would run it. */
export async function driveSync(deps: EngineDeps, input: SyncExecutionInput, owner: string, options: DriveOptions = {}): Promise<Drive> {
  let lock: LockState = { acquired: false, attempt: 0 };
  while (!lock.acquired) {
    if (lock.attempt >= 50) throw new Error(`lock on ${input.cluster} still held by ${lock.holder}`);
    if (lock.attempt > 0) await sleep(100);
    lock = await acquireLock(deps, { action: 'acquire', cluster: input.cluster, syncId: input.syncId, owner, attempt: lock.attempt + 1 });
  }
  const base = { app: input.app, cluster: input.cluster, syncId: input.syncId, planKey: input.planKey, owner, fence: lock.fence! };
  const steps: Step[] = [];
  let error: StepError | undefined;
  try {
    for (const phase of SYNC_PHASES) {
      if ((await phaseLoop(deps, base, phase, steps, options)) === 'failed') {
        error = { Error: 'gitwave.WaveFailed', Cause: `a ${phase} wave failed; the operation results name the resources` };
        break;
      }
    }
  } catch (e) {
    error = stepError(e);
  }
  if (error) {
    try {
      await phaseLoop(deps, base, 'SyncFail', steps, options);
    } catch {
      // The SyncFail loop's own catch goes on to record the failure.
    }
  }
  const recorded = await runRecordTask(deps, { ...base, outcome: error ? 'Failed' : 'Succeeded', ...(error ? { error } : {}) });
  const released = await releaseLock(deps, { action: 'release', cluster: input.cluster, owner, fence: lock.fence! });
  return { lock, steps, ...(error ? { error } : {}), recorded, released };
}
