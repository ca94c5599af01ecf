/**
 * The words of a live operation: each wave's state from its steps, and the one sentence people read
 * first, what the operation waits for ("wave 2 waits for Deployment/orders-grpc (Progressing: …)"),
 * why it failed, or what it did. Argo CD shows only "waiting for healthy state of …" (argo-cd#3516);
 * naming the wave and the resource's own health message says why a later wave has not started.
 */
import type { OperationRecord } from '../store/ports.ts';
import type { StepView, WaveState, WaveView } from './operation-view.ts';

const FAILED_STEP = new Set(['SyncFailed', 'Failed', 'Error']);
const STARTED = (s: StepView) => s.state !== 'Pending';
const FINAL_PHASES = new Set(['Succeeded', 'Failed', 'Error', 'Aborted', 'Terminated']);

/** A step is finished when nothing more happens to it: applied and healthy (or without health), a hook that succeeded, a prune. */
export function isStepDone(step: StepView): boolean {
  if (step.hook) return step.state === 'Succeeded';
  if (step.state === 'Pruned' || step.state === 'PruneSkipped') return true;
  if (step.state !== 'Synced') return false;
  return step.health === null || step.health.status === 'Healthy' || step.health.status === 'Suspended';
}

/** The waves in execution order with their states. */
export function waveStates(operationPhase: string, steps: readonly StepView[]): WaveView[] {
  const groups = new Map<string, StepView[]>();
  for (const step of steps) {
    const key = `${step.phase}\u0000${step.wave ?? 0}`;
    groups.set(key, [...(groups.get(key) ?? []), step]);
  }
  const finished = FINAL_PHASES.has(operationPhase);
  return [...groups.values()].map((group) => {
    const done = group.filter(isStepDone).length;
    return { phase: group[0].phase, wave: group[0].wave ?? 0, state: waveState(group, done, operationPhase, finished), done, total: group.length };
  });
}

function waveState(group: readonly StepView[], done: number, operationPhase: string, finished: boolean): WaveState {
  if (group.some((s) => FAILED_STEP.has(s.state))) return 'Failed';
  if (done === group.length) return 'Done';
  const started = group.some(STARTED);
  // A succeeded operation does not wait for the health of its last wave (SPEC-sync §1.7).
  if (operationPhase === 'Succeeded' && started) return 'Done';
  if (finished) return started ? 'Failed' : 'Skipped';
  return started ? 'Running' : 'Pending';
}

/** The sentence for the operation as it stands. */
export function explain(record: OperationRecord, steps: readonly StepView[], waves: readonly WaveView[]): string {
  const message = record.message ?? '';
  if (record.phase === 'Running') return /Retrying attempt/.test(message) ? message : waiting(steps, waves) ?? (message || 'starting');
  if (record.phase === 'Succeeded') {
    const hooks = steps.filter((s) => s.hook && s.state !== 'Pending').length;
    const applied = steps.filter((s) => !s.hook && s.state !== 'Pending').length;
    return `${record.dryRun ? 'dry run of' : 'synced'} ${record.revision.slice(0, 7)}: ${applied} resource${applied === 1 ? '' : 's'}, ${hooks} hook${hooks === 1 ? '' : 's'}`;
  }
  const failed = steps.filter((s) => FAILED_STEP.has(s.state));
  if (failed.length === 0) return `${record.phase}: ${message}`;
  const first = failed[0];
  const more = failed.length > 1 ? ` (and ${failed.length - 1} more)` : '';
  return `${record.phase} in ${waveName(first)}: ${stepName(first)}: ${first.message || first.state}${more}`;
}

/** "wave 2 waits for Deployment/orders-grpc (Progressing: …)", or undefined when no wave is running. */
function waiting(steps: readonly StepView[], waves: readonly WaveView[]): string | undefined {
  const wave = waves.find((w) => w.state === 'Running') ?? waves.find((w) => w.state === 'Pending');
  if (!wave) return undefined;
  const open = steps.filter((s) => s.phase === wave.phase && (s.wave ?? 0) === wave.wave && !isStepDone(s));
  if (open.length === 0) return undefined;
  const first = open.find(STARTED) ?? open[0];
  const more = open.length > 1 ? ` and ${open.length - 1} more` : '';
  return `${waveName(first)} waits for ${stepName(first)} (${stepCondition(first)})${more}`;
}

function waveName(step: StepView): string {
  return step.phase === 'Sync' ? `wave ${step.wave ?? 0}` : `${step.phase} wave ${step.wave ?? 0}`;
}

function stepName(step: StepView): string {
  return `${step.hook ? 'hook ' : ''}${step.kind}/${step.name}`;
}

function stepCondition(step: StepView): string {
  if (step.state === 'Pending') return 'not applied yet';
  if (step.hook) return step.health?.message ? `${step.state}: ${step.health.message}` : step.state;
  if (!step.health) return 'health not checked yet';
  return step.health.message ? `${step.health.status}: ${step.health.message}` : step.health.status;
}
