/**
 * Following an Application until something holds (`app sync --watch`, `app get --watch`, `app wait`):
 * it reads `GET /api/applications/{name}/operation` (the operation record and status, never engine
 * internals) about once a second and shows each look: redrawn in place on a terminal, and on
 * anything else (a log, CI) each new or changed line appended once.
 *
 * Exit codes: 0 when what was asked holds, 1 when the operation being followed fails (or a refusal
 * means none will start), 2 when the timeout passes first.
 */
import type { ApiClient } from './api-client.ts';
import { CliError } from './errors.ts';
import { operationLines, type OperationView } from './format-operation.ts';
import { painter } from './output.ts';
import { seg } from './api-options.ts';

export interface Wanted {
  /** Sync status Synced. */
  sync: boolean;
  /** Health Healthy. */
  health: boolean;
  /** No operation running. */
  operation: boolean;
}

export interface FollowOptions {
  api: ApiClient;
  name: string;
  wanted: Wanted;
  timeoutMs: number;
  /** Follow the operation this request starts (`app sync --watch`); else whatever runs. */
  requestId?: string;
  /** Where the live view goes; undefined shows nothing (`-o json`: only the final view is printed). */
  out?: { write(text: string): unknown; isTTY?: boolean };
  pollMs?: number;
}

export interface Outcome {
  code: 0 | 1 | 2;
  reason: string;
  view: OperationView;
}

const FAILED = new Set(['Failed', 'Error', 'Aborted', 'Terminated']);

/**
 * Parses `300s`, `5m`, `1h`, `90` (seconds) into milliseconds; a usage error otherwise.
 * @example durationMs('5m') // 300000
 */
export function durationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new CliError(`--timeout must be a duration such as 300s, 5m or 1h, got ${text}`, 2);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] ?? 's']!;
  return Math.round(Number(match[1]) * unit);
}

export async function follow(options: FollowOptions): Promise<Outcome> {
  const { api, name, wanted } = options;
  const read = () => api.get<OperationView>(`/api/applications/${seg(name)}/operation`);
  const show = display(options.out);
  const first = await read();
  const baseline = { syncId: first.operation?.syncId, running: first.operation?.phase === 'Running', reconciledAt: first.reconciledAt };
  const deadline = Date.now() + options.timeoutMs;
  let view = first;
  let requestId = options.requestId;
  for (;;) {
    show(view);
    const verdict = judge(view, wanted, baseline, requestId);
    // Once the requested operation has ended, what follows (health, a later sync) is judged like `app wait`.
    if (requestId && view.operation?.requestId === requestId && view.operation.phase !== 'Running') requestId = undefined;
    if (verdict) return { ...verdict, view };
    if (Date.now() >= deadline) return { code: 2, reason: `timed out after ${options.timeoutMs / 1000}s: ${waitingFor(view, wanted)}`, view };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
    view = await read();
  }
}

type Baseline = { syncId?: string; running: boolean; reconciledAt: string | null };

/** Whether following is over: reached (0), failed (1), or undefined to keep looking. */
function judge(view: OperationView, wanted: Wanted, baseline: Baseline, requestId?: string): Omit<Outcome, 'view'> | undefined {
  const op = view.operation;
  if (requestId && op?.requestId !== requestId) {
    const refused = view.reconciledAt !== baseline.reconciledAt && view.conditions.find((c) => c.type === 'SyncError' || c.type === 'ComparisonError');
    return refused ? { code: 1, reason: `the sync did not start: ${refused.type}: ${refused.message}` } : undefined;
  }
  const followed = requestId !== undefined || op?.syncId !== baseline.syncId || baseline.running;
  if (op && followed && FAILED.has(op.phase)) return { code: 1, reason: `operation ${op.syncId} ${op.phase}: ${op.explanation}` };
  if (op?.phase === 'Running' && (wanted.operation || requestId)) return undefined;
  const missing = unmet(view, wanted);
  return missing.length === 0 ? { code: 0, reason: reached(view, wanted) } : undefined;
}

function unmet(view: OperationView, wanted: Wanted): string[] {
  const missing: string[] = [];
  if (wanted.operation && view.operation?.phase === 'Running') missing.push('the operation to finish');
  if (wanted.sync && view.sync !== 'Synced') missing.push(`Synced (now ${view.sync})`);
  if (wanted.health && view.health !== 'Healthy') missing.push(`Healthy (now ${view.health})`);
  return missing;
}

function waitingFor(view: OperationView, wanted: Wanted): string {
  const missing = unmet(view, wanted);
  const explanation = view.operation?.phase === 'Running' ? `; ${view.operation.explanation}` : '';
  return `still waiting for ${missing.join(', ') || 'the operation to start'}${explanation}`;
}

function reached(view: OperationView, wanted: Wanted): string {
  const parts = [wanted.sync ? view.sync : '', wanted.health ? view.health : '', wanted.operation ? 'no operation running' : ''].filter(Boolean);
  return `${view.app}: ${parts.join(', ')}`;
}

/** Shows each look: redraw on a terminal, append new lines elsewhere. */
function display(out: FollowOptions['out']): (view: OperationView) => void {
  if (!out) return () => {};
  const paint = painter();
  if (out.isTTY) {
    let drawn = 0;
    return (view) => {
      const lines = operationLines(view, paint, true);
      out.write(`${drawn > 0 ? `\u001b[${drawn}A\u001b[0J` : ''}${lines.join('\n')}\n`);
      drawn = lines.length;
    };
  }
  const printed = new Set<string>();
  return (view) => {
    const fresh = operationLines(view, paint).filter((line) => !printed.has(line));
    fresh.forEach((line) => printed.add(line));
    if (fresh.length > 0) out.write(`${fresh.join('\n')}\n`);
  };
}
