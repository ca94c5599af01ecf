/**
 * Running a tick's stages against the cluster (SPEC-sync §1.6, shared/sync run.ts rules: stages in
 * order, batches one after the other, the actions of a batch in parallel), with one addition the
 * pure runner cannot make: just before the apply stage, the hooks it will create are recorded as
 * "creating" (a fenced write), so a task cut short between the create and its record is re-run
 * without creating the hook a second time (SECURITY.md §6: `generateName` hooks are not idempotent).
 */
import type { Action, ActionOutcome, Stage } from '../sync/actions.ts';
import type { TickDecision } from '../sync/decision.ts';
import { nextRunState, stageRuns, type RunState } from '../sync/run.ts';
import { cloneState, setResult, type OperationState } from '../sync/state.ts';
import { CREATING } from './tick-input.ts';

export type Perform = (action: Action) => Promise<ActionOutcome>;
/** Persists a state before the apply stage runs. */
export type BeforeApply = (state: OperationState) => Promise<void>;

/** The decision's state with the hooks of `actions` recorded as being created. */
export function creatingState(decision: TickDecision, actions: readonly Action[]): OperationState | undefined {
  const tasks = new Map(decision.plan.tasks.map((t) => [t.id, t]));
  const hooks = actions.filter((a) => a.type === 'apply' && !a.dryRun && a.purpose === 'apply' && tasks.get(a.taskId)?.hook);
  if (hooks.length === 0) return undefined;
  const state = cloneState(decision.state);
  for (const action of hooks) setResult(state, tasks.get(action.taskId)!, '', 'Running', CREATING);
  return state;
}

/**
 * Runs the stages; `perform` returns permanent failures as outcomes and throws transient ones,
 * which end the run (the task is retried as a whole).
 * @example const outcomes = await runDecision(decision, (a) => performAction(kube, a), persist);
 */
export async function runDecision(decision: TickDecision, perform: Perform, beforeApply: BeforeApply): Promise<Record<string, ActionOutcome>> {
  const outcomes: Record<string, ActionOutcome> = {};
  let run: RunState = 'ok';
  for (const stage of decision.stages) {
    if (!stageRuns(stage, run)) continue;
    if (stage.name === 'apply') {
      const creating = creatingState(decision, stage.batches.flat());
      if (creating) await beforeApply(creating);
    }
    await runBatches(stage, perform, outcomes);
    run = nextRunState(stage, outcomes, run);
  }
  return outcomes;
}

async function runBatches(stage: Stage, perform: Perform, outcomes: Record<string, ActionOutcome>): Promise<void> {
  for (const batch of stage.batches) {
    const results = await Promise.all(batch.map((action) => perform(action)));
    batch.forEach((action, i) => { outcomes[action.id] = results[i]; });
  }
}
