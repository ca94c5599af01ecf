/**
 * The sync core (SPEC-sync §1–§3, §6): plan a sync, run it one tick at a time, decide automated
 * syncs. Everything here is a pure function of data.
 */
export { planSync } from './plan.ts';
export { toPlanSteps, formatPlanText, type PlanStep } from './steps.ts';
export { KIND_ORDER, compareTasks, kindRank } from './order.ts';
export { HOOK_FINALIZER, hookName } from './hooks.ts';
export type * from './types.ts';
