/**
 * Running a decision's stages (SPEC-sync §1.6): stages in order, the batches of a stage one after the
 * other, the actions of a batch in parallel. A failed prune, namespace or dry run stops the group;
 * deletes before hook creation leave it pending; a failed apply run does not stop the next kind's run.
 * Cleanup stages run only when the group ended the way they ask. The executor supplies `perform`.
 */
import type { Action, ActionOutcome, Outcomes, Stage } from './actions.ts';

/** How the stages so far ended: all fine, waiting on deletes, or failed. */
export type RunState = 'ok' | 'pending' | 'failed';

/** The run state after a stage, from its outcomes. Finalizer and cleanup stages never change it. */
export function nextRunState(stage: Stage, outcomes: Outcomes, run: RunState): RunState {
  const actions = stage.batches.flat();
  const failed = actions.some((a) => outcomes[a.id]?.ok === false);
  switch (stage.name) {
    case 'finalizers':
    case 'cleanup':
      return run;
    case 'delete-before-create':
      return failed ? 'failed' : actions.length > 0 ? 'pending' : run;
    default:
      return failed ? 'failed' : run;
  }
}

/** Whether a stage runs, given how the stages before it ended. */
export function stageRuns(stage: Stage, run: RunState): boolean {
  return stage.when === undefined ? run === 'ok' : stage.when === run;
}

/** Replay the run state of stages that ran (used by `completeTick` on recorded outcomes). */
export function runStateOf(stages: readonly Stage[], outcomes: Outcomes): RunState {
  let run: RunState = 'ok';
  for (const stage of stages) {
    if (stageRuns(stage, run)) run = nextRunState(stage, outcomes, run);
  }
  return run;
}

async function safely(perform: (action: Action) => Promise<ActionOutcome>, action: Action): Promise<ActionOutcome> {
  try {
    return await perform(action);
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Run the stages of a decision with `perform` (which must treat a delete's 404 as ok), returning
 * the outcome of every action that ran.
 * @example const outcomes = await runStages(decision.stages, (action) => cluster.perform(action));
 */
export async function runStages(stages: readonly Stage[], perform: (action: Action) => Promise<ActionOutcome>): Promise<Record<string, ActionOutcome>> {
  const outcomes: Record<string, ActionOutcome> = {};
  let run: RunState = 'ok';
  for (const stage of stages) {
    if (!stageRuns(stage, run)) continue;
    for (const batch of stage.batches) {
      const results = await Promise.all(batch.map((action) => safely(perform, action)));
      batch.forEach((action, i) => { outcomes[action.id] = results[i]; });
    }
    run = nextRunState(stage, outcomes, run);
  }
  return outcomes;
}
