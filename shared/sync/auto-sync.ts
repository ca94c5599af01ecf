/**
 * Automated sync decisions (SPEC-sync §6) as pure functions: whether a reconcile starts an auto-sync,
 * the refusal to retry a failed revision, the self-heal backoff and its selective sync of the
 * non-Synced resources, and the retry loop of a failed operation.
 */
import type { ResourceKey } from '../model/object.ts';
import type { OperationPhase, OperationState } from './state.ts';

/** `spec.syncPolicy.automated`. `enabled: null`/absent means on. */
export interface AutomatedPolicy {
  enabled?: boolean | null;
  prune?: boolean;
  selfHeal?: boolean;
  allowEmpty?: boolean;
}

/** `spec.syncPolicy.retry`. Durations are Go durations (`5s`, `3m`, `1m30s`) or bare seconds. */
export interface RetryPolicy {
  limit?: number;
  backoff?: { duration?: string | number; factor?: number; maxDuration?: string | number };
  refresh?: boolean;
}

/** A managed resource's sync status (hooks have none and are not listed). */
export interface ResourceSyncState {
  key: ResourceKey;
  status: 'Synced' | 'OutOfSync' | 'Unknown';
  requiresPruning: boolean;
}

/** The last sync operation, as recorded. */
export interface LastOperation {
  revision: string;
  /** The source it synced (compared as JSON). */
  source?: unknown;
  phase: OperationPhase;
  message: string;
  finishedAt?: number;
  selfHealAttempts: number;
}

export interface AutoSyncInput {
  automated?: AutomatedPolicy | null;
  syncOptions?: readonly string[];
  retry?: RetryPolicy;
  operationRunning: boolean;
  deleting: boolean;
  syncStatus: 'Synced' | 'OutOfSync' | 'Unknown';
  resources: readonly ResourceSyncState[];
  desired: { revision: string; source?: unknown };
  /** False when the new commit does not touch this app: then revisions are not compared. */
  compareRevisions?: boolean;
  lastOperation?: LastOperation;
  /** Unix seconds. */
  now: number;
}

/** The operation an auto-sync starts. */
export interface AutoSyncOperation {
  revision: string;
  prune: boolean;
  syncOptions: string[];
  /** Self-heal: only the non-Synced resources (a selective sync: no hooks, no history). */
  resources?: ResourceKey[];
  retry: RetryPolicy;
  initiatedBy: { automated: true };
  selfHealAttempts: number;
}

export type AutoSyncDecision =
  | { action: 'none'; reason: string }
  | { action: 'error'; condition: { type: 'SyncError'; message: string } }
  | { action: 'wait'; seconds: number; reason: string }
  | { action: 'sync'; operation: AutoSyncOperation };

/** The retry of an automated operation when the spec sets none: five attempts (5, 10, 20, 40, 80 s). */
export const DEFAULT_AUTOMATED_RETRY: RetryPolicy = { limit: 5 };

/** Self-heal backoff: 2 s × 3^(n−1) after n self-heal attempts, at most 300 s; none before the first. */
export function selfHealBackoff(attempts: number, base = 2, factor = 3, cap = 300): number {
  return attempts <= 0 ? 0 : Math.min(cap, base * factor ** (attempts - 1));
}

function isOn(policy: AutomatedPolicy | null | undefined): policy is AutomatedPolicy {
  return policy !== undefined && policy !== null && policy.enabled !== false;
}

/** Whether decideAutoSync can sync at all under `policy` (off: it answers `none` before reading anything else). */
export function autoSyncIsOn(policy: AutomatedPolicy | null | undefined): boolean {
  return isOn(policy);
}

function alreadyAttempted(input: AutoSyncInput): boolean {
  const last = input.lastOperation;
  if (!last) return false;
  const sameRevision = input.compareRevisions === false || last.revision === input.desired.revision;
  return sameRevision && JSON.stringify(last.source ?? null) === JSON.stringify(input.desired.source ?? null);
}

function operation(input: AutoSyncInput, policy: AutomatedPolicy, extra: Partial<AutoSyncOperation> = {}): AutoSyncDecision {
  return {
    action: 'sync',
    operation: {
      revision: input.desired.revision, prune: policy.prune ?? false, syncOptions: [...(input.syncOptions ?? [])],
      retry: input.retry ?? DEFAULT_AUTOMATED_RETRY, initiatedBy: { automated: true }, selfHealAttempts: 0, ...extra,
    },
  };
}

/** An already-attempted revision: no retry after a failure; self-heal (with backoff) after a success. */
function retryOfAttempted(input: AutoSyncInput, policy: AutomatedPolicy, last: LastOperation): AutoSyncDecision {
  if (last.phase !== 'Succeeded') {
    return { action: 'error', condition: { type: 'SyncError', message: `Failed last sync attempt to ${input.desired.revision}: ${last.message}` } };
  }
  if (!policy.selfHeal) return { action: 'none', reason: `most recent sync already to ${input.desired.revision}` };
  const elapsed = last.finishedAt === undefined ? 0 : input.now - last.finishedAt;
  const remaining = selfHealBackoff(last.selfHealAttempts) - elapsed;
  if (remaining > 0) return { action: 'wait', seconds: remaining, reason: 'self-heal backoff' };
  const resources = input.resources.filter((r) => r.status !== 'Synced').map((r) => r.key);
  return operation(input, policy, { resources, selfHealAttempts: last.selfHealAttempts + 1 });
}

/**
 * Whether a reconcile starts an auto-sync (§6), in Argo CD's order.
 * @example decideAutoSync({ automated: { prune: true }, syncStatus: 'OutOfSync', … }) // { action: 'sync', operation: … }
 */
export function decideAutoSync(input: AutoSyncInput): AutoSyncDecision {
  const policy = input.automated;
  if (!isOn(policy)) return { action: 'none', reason: 'automated sync is off' };
  if (input.operationRunning) return { action: 'none', reason: 'an operation is running' };
  if (input.deleting) return { action: 'none', reason: 'the application is being deleted' };
  if (input.syncStatus !== 'OutOfSync') return { action: 'none', reason: `the application is ${input.syncStatus}` };
  if (!policy.prune && input.resources.every((r) => r.status === 'Synced' || r.requiresPruning)) {
    return { action: 'none', reason: 'need to prune extra resources only but automated prune is disabled' };
  }
  if (alreadyAttempted(input)) return retryOfAttempted(input, policy, input.lastOperation!);
  if (policy.prune && !policy.allowEmpty && input.resources.every((r) => r.requiresPruning)) {
    return { action: 'error', condition: { type: 'SyncError', message: 'auto-sync will wipe out all resources' } };
  }
  return operation(input, policy);
}

/** Seconds of a Go duration (`1m30s`, `500ms`, `2h`) or a bare number of seconds; `fallback` when absent. */
export function durationSeconds(value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'number') return value;
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new Error(`invalid duration "${value}"`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * units[p[2]], 0);
}

/** The wait before retry attempt `retryCount + 1`: min(maxDuration, duration × factor^retryCount). */
export function retryBackoff(retry: RetryPolicy, retryCount: number): number {
  const duration = durationSeconds(retry.backoff?.duration, 5);
  const factor = retry.backoff?.factor ?? 2;
  const max = durationSeconds(retry.backoff?.maxDuration, 180);
  return Math.min(max, duration * factor ** retryCount);
}

/** The retry policy of an operation: automated ones retry by default, manual ones only when asked. */
export function retryPolicyFor(automated: boolean, spec: RetryPolicy | undefined): RetryPolicy | undefined {
  return spec ?? (automated ? DEFAULT_AUTOMATED_RETRY : undefined);
}

export type RetryDecision =
  | { retry: false; state: OperationState }
  | { retry: true; state: OperationState; at: number; refresh: boolean };

/**
 * After an operation ended: retry it (Running again, results cleared, a new first tick at `at`) while
 * `retryCount < limit` (or limit < 0); never after a terminate. A final failure after retries says
 * `(retried N times).`
 */
export function afterOperation(state: OperationState, retry: RetryPolicy | undefined, now: number): RetryDecision {
  const failed = state.phase === 'Failed' || state.phase === 'Error';
  const limit = retry?.limit ?? 0;
  if (failed && retry && !state.terminated && (limit < 0 || state.retryCount < limit)) {
    const at = now + retryBackoff(retry, state.retryCount);
    const retryCount = state.retryCount + 1;
    const message = `${state.message}. Retrying attempt #${retryCount} at ${new Date(at * 1000).toISOString()}.`;
    return { retry: true, at, refresh: retry.refresh ?? false, state: { ...state, phase: 'Running', finishedAt: now, retryCount, message, results: {} } };
  }
  const message = state.retryCount > 0 ? `${state.message} (retried ${state.retryCount} times).` : state.message;
  return { retry: false, state: { ...state, message } };
}
