/**
 * The live view of an operation (`app sync --watch`, `app get --watch`, `app wait`): a header, a
 * progress bar over the waves, one line per wave, one line per resource and hook with its state and
 * health, and the sentence that says what the operation waits for or why it failed. Lines are stable
 * text, so a log (not a terminal) can print each line once, when it first appears or changes.
 */
import type { OperationView, StepView, WaveView } from '../shared/api/operation-view.ts';

export type { OperationView };
type Paint = (text: string, colour?: 'green' | 'yellow' | 'red' | 'grey' | 'bold') => string;

const short = (sha: string) => sha.slice(0, 7);

/** `[#####-----] 3/6 waves` (block characters on a terminal). */
export function progressBar(waves: readonly WaveView[], width = 20, blocks = false): string {
  const finished = waves.filter((w) => w.state === 'Done' || w.state === 'Skipped').length;
  const filled = waves.length === 0 ? 0 : Math.round((finished / waves.length) * width);
  const [full, empty] = blocks ? ['\u2588', '\u2591'] : ['#', '-'];
  return `[${full.repeat(filled)}${empty.repeat(width - filled)}] ${finished}/${waves.length} waves`;
}

function waveLabel(w: Pick<WaveView, 'phase' | 'wave'>): string {
  return `${w.phase} wave ${w.wave}`;
}

function stepLine(step: StepView, paint: Paint): string {
  const health = step.health ? `, ${paint(step.health.status)}${step.health.message ? ` (${step.health.message})` : ''}` : '';
  const message = step.message && !step.health?.message ? ` - ${step.message}` : '';
  const where = step.namespace ? `${step.namespace}/` : '';
  return `    ${step.hook ? 'hook ' : ''}${step.kind}/${where}${step.name}: ${paint(step.state)}${health}${message}`;
}

/**
 * The lines of one look at the operation. `blocks`: draw the bar with block characters (terminals).
 * @example operationLines(view, paint) // ['orders-dev: operation … Running on 6ccfe74', '[####----] 2/4 waves', …]
 */
export function operationLines(view: OperationView, paint: Paint, blocks = false): string[] {
  const op = view.operation;
  const status = `sync ${paint(view.sync)}, health ${paint(view.health)}`;
  if (!op) return [`${view.app}: no operation yet (${status})`, ...conditionLines(view, paint)];
  const lines = [`${paint(view.app, 'bold')}: operation ${op.syncId} ${paint(op.phase)} on ${short(op.revision)}${op.dryRun ? ' (dry run)' : ''}`];
  lines.push(progressBar(op.waves, 20, blocks));
  for (const wave of op.waves) {
    lines.push(`  ${waveLabel(wave)}: ${paint(wave.state)} (${wave.done}/${wave.total})`);
    const steps = op.steps.filter((s) => s.phase === wave.phase && (s.wave ?? 0) === wave.wave);
    lines.push(...steps.map((s) => stepLine(s, paint)));
  }
  lines.push(`${op.phase === 'Running' ? '=>' : '=='} ${op.explanation}`);
  if (op.phase !== 'Running') lines.push(`${view.app}: ${status}`);
  return [...lines, ...conditionLines(view, paint)];
}

function conditionLines(view: OperationView, paint: Paint): string[] {
  return view.conditions.map((c) => `${paint(c.type, 'red')}: ${c.message}`);
}
