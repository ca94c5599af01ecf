/**
 * The sync core (SPEC-sync §1–§3, §6): plan a sync, run it one tick at a time, decide automated
 * syncs. Everything here is a pure function of data (`runStages` only calls the `perform` it is given).
 */
export { planSync } from './plan.ts';
export { toPlanSteps, formatPlanText, type PlanStep } from './steps.ts';
export { KIND_ORDER, compareTasks, kindRank } from './order.ts';
export { HOOK_FINALIZER, hookName } from './hooks.ts';
export { tick, type LiveObject, type TickInput } from './tick.ts';
export { completeTick } from './complete.ts';
export { runStages } from './run.ts';
export { requestTermination } from './terminate.ts';
export { decideAutoSync, afterOperation, retryBackoff, selfHealBackoff, retryPolicyFor, durationSeconds, DEFAULT_AUTOMATED_RETRY, type AutoSyncInput, type AutoSyncDecision, type AutoSyncOperation, type RetryPolicy, type AutomatedPolicy, type RetryDecision } from './auto-sync.ts';
export { startOperation, resultsInOrder, isFinal, type OperationState, type OperationPhase, type ResourceResult, type ResultStatus } from './state.ts';
export type { Action, ActionOutcome, ApplyAction, DeleteAction, RemoveFinalizerAction, Stage, Outcomes } from './actions.ts';
export type { TickDecision, Next, TickOptions, Settle, Conclusion } from './decision.ts';
export type * from './types.ts';
