/**
 * The shape of a tick's answer: the state to persist, the stages to run, and how to conclude once
 * they ran (SPEC-sync §1.7 step 11: failed / succeeded / pending each lead somewhere else).
 */
import type { Stage } from './actions.ts';
import type { OperationPhase, OperationState } from './state.ts';
import type { SyncPlan } from './types.ts';

/** Where the operation stands after a tick, and when to tick again (`seconds`, for Running). */
export interface Conclusion {
  phase: OperationPhase;
  message: string;
  /** Append `, reason: <messages>` from the SyncFailed results of these tasks. */
  reasonsFrom?: string[];
  /** Seconds until the next tick (Running only). */
  seconds?: number;
}

/** How a tick concludes, by how its stages ended. `pending`/`failed` default to `ok`. */
export interface Settle {
  ok: Conclusion;
  pending?: Conclusion;
  failed?: Conclusion;
  /** Terminate: any failed action makes the operation end in Error. */
  errorOnAnyFailure?: Conclusion;
}

/** What one tick decided. Run `stages` (run.ts), then call `completeTick`. */
export interface TickDecision {
  /** The state after this tick's bookkeeping; `completeTick` adds the outcomes of the stages. */
  state: OperationState;
  stages: Stage[];
  settle: Settle;
  /** The plan the tick worked from (tasks by id for `completeTick`, and for display). */
  plan: SyncPlan;
}

/** When to tick again. */
export type Next = { kind: 'wait'; seconds: number } | { kind: 'done'; phase: OperationPhase };

/** Timing of ticks. */
export interface TickOptions {
  /** Pause after a wave that applied and was not the last (ARGOCD_SYNC_WAVE_DELAY), default 2 s. */
  waveDelaySeconds?: number;
  /** Pause before looking again at something that is still running, default 5 s. */
  pollSeconds?: number;
}

export const DEFAULT_WAVE_DELAY = 2;
export const DEFAULT_POLL = 5;
