/**
 * A small stand-in world for running the synthesized sync state machine locally: an in-memory
 * cluster lock with a fence, and a plan of (phase → waves) whose apply/check ticks follow the
 * contracts of shared/engine/contracts.ts. It records what ran, so tests can check the order of
 * waves, what was recorded and whether the lock was released. The real handlers replace these in
 * the local runtime (issue 6); the definition and the binding are the same.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import type {
  AcquireLockResult, LockTaskInput, RecordTaskInput, RecordTaskResult, ReleaseLockResult, SyncExecutionInput, SyncPhase, WaveTaskInput, WaveTaskResult,
} from '../../shared/engine/contracts.ts';
import { allStates, bindTaskHandlers, scaledWaits, type AslDefinition } from '../../infra/local-definition.ts';

export interface WorldOptions {
  /** Waves per phase; SyncFail hooks run as their own phase. */
  plan?: Partial<Record<SyncPhase, number[]>>;
  /** `phase:wave` whose check reports failure… */
  failAt?: string;
  /** …in this many attempts of the operation (default: every one). */
  failTimes?: number;
  /** Failed attempts the record task answers with a retry (SPEC-sync §6), each after a 5 s wait. */
  retries?: number;
  /** `phase:wave` whose apply throws an error with this name. */
  crashAt?: { at: string; name: string; times?: number };
  /** `phase:wave` whose first check answers `yield` (children queued behind the sync on its cluster). */
  yieldAt?: string;
  /** Acquire attempts answered "held by another sync" before the lock frees up. */
  lockHeldFor?: number;
}

export class SyncWorld {
  readonly applied: string[] = [];
  readonly records: RecordTaskInput[] = [];
  readonly acquireAttempts: number[] = [];
  readonly releases: Array<{ owner: string; fence: number; released: boolean }> = [];
  lock: { owner?: string; fence: number } = { fence: 41 };
  private readonly cursor = new Map<SyncPhase, number>();
  private readonly checks = new Map<string, number>();
  private failed = false;
  /** Times the simulated crash was thrown (each a task attempt). */
  crashes = 0;
  /** Attempts of the operation started so far (1 + retries). */
  attempts = 1;

  constructor(private readonly options: WorldOptions = {}) {}

  private waves(phase: SyncPhase): number[] {
    const plan = { PreSync: [0], Sync: [1, 2], PostSync: [0], SyncFail: [0], ...this.options.plan };
    return plan[phase] ?? [];
  }

  lockHandler = (input: LockTaskInput): AcquireLockResult | ReleaseLockResult => {
    if (input.action === 'claim') throw new Error('the sync state machine claims nothing');
    if (input.action === 'release') {
      const released = this.lock.owner === input.owner && this.lock.fence === input.fence;
      if (released) this.lock = { fence: this.lock.fence };
      this.releases.push({ owner: input.owner, fence: input.fence, released });
      return { released };
    }
    this.acquireAttempts.push(input.attempt);
    if (this.acquireAttempts.length <= (this.options.lockHeldFor ?? 0)) {
      return { acquired: false, attempt: input.attempt, holder: 'arn:aws:states:us-east-1:000000000000:execution:gitwave-sync:other' };
    }
    this.lock = { owner: input.owner, fence: this.lock.fence + 1 };
    return { acquired: true, attempt: input.attempt, fence: this.lock.fence };
  };

  applyHandler = (input: WaveTaskInput): WaveTaskResult => {
    // Like a real tick: refuse to act once an earlier group failed (DESIGN.md, local notes).
    if (this.failed && input.phase !== 'SyncFail') return { status: 'failed', message: 'an earlier group failed' };
    const waves = this.waves(input.phase);
    const index = this.cursor.get(input.phase) ?? 0;
    if (index >= waves.length) return { status: 'phaseDone' };
    const at = `${input.phase}:${waves[index]}`;
    const crash = this.options.crashAt;
    if (crash?.at === at && this.crashes < (crash.times ?? Infinity)) {
      this.crashes += 1;
      throw Object.assign(new Error(`simulated ${crash.name} at ${at}`), { name: crash.name });
    }
    this.applied.push(at);
    return { status: 'progressing', wave: waves[index], nextCheckSeconds: 0 };
  };

  checkHandler = (input: WaveTaskInput): WaveTaskResult => {
    const waves = this.waves(input.phase);
    const index = this.cursor.get(input.phase) ?? 0;
    const at = `${input.phase}:${waves[index]}`;
    const seen = (this.checks.get(at) ?? 0) + 1;
    this.checks.set(at, seen);
    // The first check of every wave finds it still progressing, so the Wait loop runs.
    if (seen === 1 && this.options.yieldAt === at) return { status: 'yield', wave: waves[index], message: 'waiting for child Application web, queued on this cluster' };
    if (seen === 1) return { status: 'progressing', wave: waves[index], nextCheckSeconds: 1, message: `waiting for healthy state of wave ${waves[index]}` };
    if (this.options.failAt === at && this.attempts <= (this.options.failTimes ?? Infinity)) {
      this.failed = true;
      return { status: 'failed', wave: waves[index], message: `wave ${waves[index]} degraded` };
    }
    this.cursor.set(input.phase, index + 1);
    return { status: index + 1 >= waves.length ? 'phaseDone' : 'waveDone', wave: waves[index] };
  };

  recordHandler = (input: RecordTaskInput): RecordTaskResult => {
    this.records.push(input);
    if (input.outcome === 'Failed' && this.attempts <= (this.options.retries ?? 0)) {
      // Like the record task: the operation's results are cleared and it runs again from the start.
      this.attempts += 1;
      this.failed = false;
      this.cursor.clear();
      this.checks.clear();
      return { recorded: true, retry: { attempt: this.attempts - 1, waitSeconds: 5, at: new Date().toISOString() } };
    }
    return { recorded: true };
  };

  checksOf(at: string): number {
    return this.checks.get(at) ?? 0;
  }
}

export const EXECUTION_ID = 'arn:aws:states:us-east-1:000000000000:execution:gitwave-sync:web-abc123';

export const SYNC_INPUT: SyncExecutionInput = {
  app: 'web', cluster: 'dev', syncId: 'sync-1', planKey: 'plans/web/sync-1.json', revision: 'a'.repeat(40),
  owner: 'arn:aws:states:us-east-1:000000000000:execution:gitwave-writer:dev-writer-1', fence: 42,
};

export interface RunOutcome {
  output?: Record<string, any>;
  /** The name of the error the execution failed with. */
  error?: string;
  /** Names of the states entered, in order. */
  entered: string[];
}

/** Runs the definition against the world with every Wait and retry interval cut to zero. */
export async function runSync(definition: AslDefinition, world: SyncWorld): Promise<RunOutcome> {
  const machine = new StateMachine(definition as never, { validationOptions: { checkPaths: true, checkArn: true } });
  const tasks = bindTaskHandlers(definition, {
    'apply-wave': world.applyHandler, 'check-wave': world.checkHandler, record: world.recordHandler,
  });
  const retries = Object.fromEntries(allStates(definition).filter(([, s]) => s.Retry).map(([name]) => [name, 0]));
  const execution = machine.run(SYNC_INPUT as never, {
    overrides: { taskResourceLocalHandlers: tasks as never, waitTimeOverrides: scaledWaits(definition, 0), retryIntervalOverrides: retries },
    context: { Execution: { Id: EXECUTION_ID, Name: 'web-abc123', Input: SYNC_INPUT as never, StartTime: new Date().toISOString() } },
  });
  const entered: string[] = [];
  for await (const event of execution.eventLogs) {
    if (event.type === 'StateEntered') entered.push(event.state.name);
  }
  try {
    return { output: await execution.result as Record<string, any>, entered };
  } catch (error) {
    const cause = (error as { cause?: { name?: string } }).cause;
    return { error: cause?.name ?? String(error), entered };
  }
}
