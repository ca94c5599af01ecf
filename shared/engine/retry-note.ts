/**
 * While the cluster client retries a transient failure (SECURITY.md §6: 5xx, 429, timeouts, dropped
 * connections), the Application's status says what failed and when the next attempt starts, as
 * Argo CD's operation message does for its own retries ("Retrying attempt #N at <time>"); and when
 * the client gave up, that the state machine runs the step again, within which bounds. Only the
 * status summary is written (fenced): the operation record keeps the sync's own progress, and the
 * next save of the wave task replaces the note.
 */
import type { RetryNotice } from '../kube/index.ts';
import type { LockGuard } from '../store/ports.ts';
import { nowOf, type EngineDeps } from './deps.ts';
import { operationRecord, operationSummary, type EngineResult } from './operation-record.ts';
import type { PlanDocument } from './plan-document.ts';
import { TRANSIENT_TASK_RETRY } from './contracts.ts';

/** The server's own words are left out for Secrets: a message about one may quote its data. */
function whatFailed(error: RetryNotice['error']): string {
  if (!/\bsecrets\b/.test(error.message)) return error.message;
  const target = error.message.split(': ')[0];
  return `${target}: http ${error.code ?? 'error'}${error.reason ? ` ${error.reason}` : ''}`;
}

/**
 * The note: `<what failed>; retrying at <RFC 3339> (attempt 2 of 6)`.
 * @example retryNote({ error, attempt: 1, maxAttempts: 6, delayMs: 1000 }, Date.parse('2026-12-05T17:00:00Z'))
 */
export function retryNote(notice: RetryNotice, nowMs: number): string {
  const at = new Date(nowMs + notice.delayMs).toISOString();
  return `${whatFailed(notice.error)}; retrying at ${at} (attempt ${notice.attempt + 1} of ${notice.maxAttempts})`;
}

export interface RetryNoteContext {
  deps: EngineDeps;
  plan: PlanDocument;
  guard: LockGuard;
  /** The operation as last saved by the task (read when the failure happens, not when the listener is made). */
  result: () => EngineResult;
}

/**
 * The note when the client gave up and the task fails for the state machine's Retry: when that comes
 * is the service's choice (full jitter), so the note gives its bounds.
 * @example taskRetryNote(error) // 'failed to get …: …; the client gave up: the state machine runs this step again within 10 s, 20 s, 40 s (3 times at most)'
 */
export function taskRetryNote(error: RetryNotice['error']): string {
  const { intervalSeconds, maxAttempts, backoffRate } = TRANSIENT_TASK_RETRY;
  const waits = Array.from({ length: maxAttempts }, (_, i) => `${intervalSeconds * backoffRate ** i} s`);
  return `${whatFailed(error)}; the client gave up: the state machine runs this step again within ${waits.join(', ')} (${maxAttempts} times at most)`;
}

/**
 * Writes a note on the Application's status (fenced, the status only) and logs it. A note that
 * cannot be written (a lost lease, the store unreachable) is only logged: the retry goes on, and the
 * task's next fenced write reports a lost lease.
 */
export async function writeRetryNote(ctx: RetryNoteContext, message: string, fields: Record<string, unknown>): Promise<void> {
  const result = ctx.result();
  ctx.deps.log?.('warn', 'cluster request failed, retrying', { app: ctx.plan.app, syncId: ctx.plan.syncId, ...fields });
  try {
    const record = operationRecord(ctx.plan, { ...result, state: { ...result.state, message } });
    await ctx.deps.store.writeStatus(ctx.plan.app, { operationState: operationSummary(record) }, ctx.guard);
  } catch (error) {
    ctx.deps.log?.('warn', 'could not record the retry on the status', { app: ctx.plan.app, error: (error as Error).message });
  }
}

/** A listener for the cluster client that writes each retry's note. */
export function statusRetryNotes(ctx: RetryNoteContext): (notice: RetryNotice) => Promise<void> {
  return (notice) => writeRetryNote(ctx, retryNote(notice, nowOf(ctx.deps)), { code: notice.error.code, attempt: notice.attempt, delayMs: notice.delayMs });
}
