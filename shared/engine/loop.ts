/**
 * Fitting the operation-wide tick (SPEC-sync §1.7) into the state machine's phase loops (contracts.ts,
 * WaveStatus). The tick decides for the whole operation; a task of phase P only acts on what belongs
 * to P: it answers `phaseDone` when the next group is in a later phase, refuses to act when an earlier
 * task failed (the state machine must not rest on Map failure semantics, DESIGN.md), and in the
 * SyncFail phase only runs the SyncFail hooks. A check task only looks, unless the operation is
 * ending (then it concludes it, since no later task might). Pure functions of the tick's answer.
 */
import { SYNC_PHASES, type SyncPhase, type WaveStatus } from './contracts.ts';
import type { TickDecision } from '../sync/decision.ts';
import { isFinal, type OperationState } from '../sync/state.ts';
import type { SyncTask } from '../sync/types.ts';

export type TaskMode = 'apply' | 'check';

/** Where the operation stands, as the phase loops need to know it. */
export type Situation =
  | { kind: 'final'; failing: boolean }
  | { kind: 'waiting'; failing: boolean }
  | { kind: 'group'; failing: false; phase: SyncPhase; wave: number }
  | { kind: 'finish'; failing: boolean };

/** What a task does about it: run the decision's stages, only record what it saw, or stop the operation. */
export type LoopStep =
  | { do: 'act' }
  | { do: 'observe'; status: WaveStatus }
  | { do: 'abort'; status: WaveStatus };

const phaseOf = (task: SyncTask, state: OperationState) => state.results[task.id]?.hookPhase ?? '';

/** Whether a task outside SyncFail completed unsuccessfully (SPEC-sync §1.7 step 7). */
export function isFailing(tasks: readonly SyncTask[], state: OperationState): boolean {
  return tasks.some((t) => t.phase !== 'SyncFail' && (phaseOf(t, state) === 'Failed' || phaseOf(t, state) === 'Error'));
}

/** The first group the tick would run next, if any (no failure, nothing waited on). */
export function nextGroup(decision: TickDecision): { phase: SyncPhase; wave: number } | undefined {
  const { plan, state } = decision;
  const next = plan.tasks.find((t) => t.phase !== 'SyncFail' && phaseOf(t, state) === '' && !(plan.applyOutOfSyncOnly && t.skipped === 'unchanged'));
  return next ? { phase: next.phase, wave: next.wave } : undefined;
}

/**
 * The situation a tick found, given the state it started from.
 * @example classify(tick(input), input.state) // { kind: 'group', phase: 'Sync', wave: 1, failing: false }
 */
export function classify(decision: TickDecision, before: OperationState): Situation {
  const failing = isFailing(decision.plan.tasks, decision.state);
  if (isFinal(before.phase)) return { kind: 'final', failing };
  if (decision.stages.length === 0 && decision.settle.ok.phase === 'Running') return { kind: 'waiting', failing };
  const group = failing ? undefined : nextGroup(decision);
  if (group) return { kind: 'group', failing: false, ...group };
  return { kind: 'finish', failing };
}

const rank = (phase: SyncPhase) => (phase === 'SyncFail' ? SYNC_PHASES.length : SYNC_PHASES.indexOf(phase));

/** What a task of `phase` in `mode` does in a situation. */
export function loopStep(situation: Situation, phase: SyncPhase, mode: TaskMode, before: OperationState): LoopStep {
  if (situation.kind === 'final') return { do: 'observe', status: finalStatus(before, phase) };
  if (phase === 'SyncFail') {
    // Reached through the catch: without a failed task the error was the task's own (see wave-task.ts).
    return situation.failing ? { do: 'act' } : { do: 'abort', status: 'phaseDone' };
  }
  if (situation.kind === 'waiting') return { do: 'observe', status: situation.failing ? 'failed' : 'progressing' };
  if (situation.failing) return { do: 'observe', status: 'failed' };
  if (situation.kind === 'finish') return { do: 'act' };
  if (rank(situation.phase) > rank(phase)) return { do: 'observe', status: 'phaseDone' };
  return mode === 'apply' ? { do: 'act' } : { do: 'observe', status: 'waveDone' };
}

/** The loop status once the state is final (or after acting). */
export function finalStatus(state: OperationState, phase: SyncPhase): WaveStatus {
  if (state.phase === 'Succeeded') return 'phaseDone';
  return phase === 'SyncFail' ? 'phaseDone' : 'failed';
}

/** The loop status after a task acted and recorded the new state. */
export function statusAfter(state: OperationState, tasks: readonly SyncTask[], phase: SyncPhase): WaveStatus {
  if (isFinal(state.phase)) return finalStatus(state, phase);
  if (phase !== 'SyncFail' && isFailing(tasks, state)) return 'failed';
  return 'progressing';
}

/**
 * The state to record after only looking: updates to tasks that had started (health, completion,
 * vanished objects), never a result for a task this task did not run (the namespace of a first
 * tick, prunes of a group left for later).
 */
export function observedState(before: OperationState, decision: TickDecision): OperationState {
  const results = { ...before.results };
  for (const [id, result] of Object.entries(decision.state.results)) {
    if (before.results[id] !== undefined) results[id] = result;
  }
  const waiting = decision.stages.length === 0 && decision.settle.ok.phase === 'Running';
  return { ...before, results, message: waiting ? decision.settle.ok.message : before.message };
}

/** The message of an operation the SyncFail phase had to stop (the record step replaces it with the error). */
export const STOPPED_ON_ERROR = 'the sync stopped on an error before it completed';

/** The state of an operation stopped by an error outside the tick (lock lost, a task that kept failing). */
export function abortedState(before: OperationState, message: string, now: number): OperationState {
  return { ...before, phase: 'Failed', message, finishedAt: now };
}
