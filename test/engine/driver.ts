// The sync state machine's order of calls (infra/constructs/sync-definition.ts), played by hand so the
// engine tests need no Step Functions: acquire the lock (waiting while it is held), the PreSync, Sync
// and PostSync loops (apply → Choice → wait → check …), and on a failure the SyncFail loop; then record
// and release. A task error ends the try block as the Parallel's catch would. When the record task
// answers a retry, the phases run again under the same lock (the Wait to retry is not waited here).
import { setTimeout as sleep } from 'node:timers/promises';
import { SYNC_PHASES, type LockState, type RecordTaskResult, type ReleaseLockResult, type StepError, type SyncExecutionInput, type SyncPhase, type WaveTaskResult } from '../../shared/engine/contracts.ts';
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
  /** The error that ended the last attempt. */
  error?: StepError;
  /** The last record task's answer; `records` has every one (one per attempt). */
  recorded: RecordTaskResult;
  records: RecordTaskResult[];
  released: ReleaseLockResult;
}

export interface DriveOptions {
  /** The Wait state between apply and check (real, short). */
  waitMs?: number;
  /** Bounds each loop, so a test that goes wrong ends. */
  maxSteps?: number;
  /** Bounds the attempts followed when the record task answers a retry. */
  maxAttempts?: number;
  /** Runs during the Wait to retry, before attempt `failed + 1` (a test fixes the cause there). */
  beforeRetry?: (failed: number) => Promise<void>;
}

function stepError(error: unknown): StepError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { Error: e.name, Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message }) };
}

/** One phase loop; answers how it ended. */
export async function phaseLoop(deps: EngineDeps, input: Omit<Parameters<typeof runWaveTask>[1], 'phase'>, phase: SyncPhase, steps: Step[], options: DriveOptions = {}): Promise<'done' | 'failed'> {
  const task = { ...input, phase };
  let mode: Step['mode'] = 'apply';
  for (let i = 0; i < (options.maxSteps ?? 1200); i++) {
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
  throw new Error(`phase ${phase} did not end within ${options.maxSteps ?? 1200} steps`);
}

/** The whole execution, as Step Functions would run it. */
export async function driveSync(deps: EngineDeps, input: SyncExecutionInput, owner: string, options: DriveOptions = {}): Promise<Drive> {
  let lock: LockState = { acquired: false, attempt: 0 };
  while (!lock.acquired) {
    if (lock.attempt >= 600) throw new Error(`lock on ${input.cluster} still held by ${lock.holder}`);
    if (lock.attempt > 0) await sleep(100);
    lock = await acquireLock(deps, { action: 'acquire', cluster: input.cluster, syncId: input.syncId, owner, attempt: lock.attempt + 1 });
  }
  const base = { app: input.app, cluster: input.cluster, syncId: input.syncId, planKey: input.planKey, owner, fence: lock.fence! };
  const steps: Step[] = [];
  const records: RecordTaskResult[] = [];
  let error: StepError | undefined;
  for (;;) {
    error = await attempt(deps, base, steps, options);
    records.push(await runRecordTask(deps, { ...base, outcome: error ? 'Failed' : 'Succeeded', ...(error ? { error } : {}) }));
    if (!records.at(-1)!.retry || records.length > (options.maxAttempts ?? 10)) break;
    await options.beforeRetry?.(records.length);
  }
  const released = await releaseLock(deps, { action: 'release', cluster: input.cluster, owner, fence: lock.fence! });
  return { lock, steps, ...(error ? { error } : {}), recorded: records.at(-1)!, records, released };
}

/** One attempt of the operation: the phases, and the SyncFail loop when they failed; the error, if any. */
async function attempt(deps: EngineDeps, base: Omit<Parameters<typeof runWaveTask>[1], 'phase'>, steps: Step[], options: DriveOptions): Promise<StepError | undefined> {
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
  return error;
}
