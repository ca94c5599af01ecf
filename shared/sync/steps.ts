/**
 * The plan as people and tools see it: `toPlanSteps` gives the step objects of `gitwave plan -o json`
 * (issue 2), `formatPlanText` a table grouped by phase and wave. A hook that exists live with the
 * BeforeHookCreation policy gets a `delete-before-create` step directly before its apply.
 */
import type { SyncPhase } from '../model/annotations.ts';
import type { SyncPlan, SyncTask } from './types.ts';

/** One step of `gitwave plan -o json`. */
export interface PlanStep {
  phase: SyncPhase;
  wave: number;
  /** "" for the core group. */
  group: string;
  kind: string;
  /** null for cluster-scoped kinds. */
  namespace: string | null;
  name: string;
  hook: boolean;
  action: 'apply' | 'prune' | 'create-namespace' | 'delete-before-create';
  /** Why the step changes nothing: `prune disabled`, `Prune=false`, `unchanged`. */
  skipped?: string;
}

/** Whether a hook task will first delete its live object (BeforeHookCreation, §2.4). */
export function deletesBeforeCreate(task: SyncTask): boolean {
  return task.hook && task.live !== undefined && task.deletePolicies.includes('BeforeHookCreation');
}

function step(task: SyncTask, action: PlanStep['action']): PlanStep {
  const s: PlanStep = {
    phase: task.phase, wave: task.wave, group: task.key.group, kind: task.key.kind,
    namespace: task.key.namespace === '' ? null : task.key.namespace, name: task.key.name, hook: task.hook, action,
  };
  if (task.skipped && action !== 'delete-before-create') s.skipped = task.skipped;
  return s;
}

/**
 * The steps of a plan in execution order, SyncFail hooks last.
 * @example toPlanSteps(plan)[0] // { phase: 'Sync', wave: 0, group: '', kind: 'Service', namespace: 'default', name: 'guestbook-ui', hook: false, action: 'apply' }
 */
export function toPlanSteps(plan: SyncPlan): PlanStep[] {
  const steps: PlanStep[] = [];
  for (const task of plan.tasks) {
    if (deletesBeforeCreate(task)) steps.push(step(task, 'delete-before-create'));
    steps.push(step(task, task.action));
  }
  return steps;
}

function describe(s: PlanStep): string {
  const kind = s.group ? `${s.group}/${s.kind}` : s.kind;
  const where = s.namespace === null ? s.name : `${s.namespace}/${s.name}`;
  const notes = [s.hook ? 'hook' : '', s.skipped ? `skipped: ${s.skipped}` : ''].filter(Boolean).join(', ');
  return `  ${s.action.padEnd(20)} ${kind.padEnd(32)} ${where}${notes ? `  (${notes})` : ''}`;
}

/** The plan as a readable table: one block per phase and wave, then warnings and errors. */
export function formatPlanText(plan: SyncPlan): string {
  const lines: string[] = [];
  let group = '';
  for (const s of toPlanSteps(plan)) {
    const heading = `${s.phase} wave ${s.wave}`;
    if (heading !== group) lines.push(heading);
    group = heading;
    lines.push(describe(s));
  }
  if (lines.length === 0) lines.push('nothing to do');
  for (const w of plan.warnings) lines.push(`warning: ${w.message}`);
  if (plan.sharedResourceError) lines.push(`error: ${plan.sharedResourceError}`);
  for (const e of plan.errors) lines.push(`error: ${e.message}`);
  return `${lines.join('\n')}\n`;
}
