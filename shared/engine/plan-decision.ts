/**
 * Whether the plan step starts a sync: always for a person's request; for automated syncs, as
 * shared/sync/auto-sync.ts decides from the comparison, the status and the last operation (no retry
 * of a failed revision, selfHeal with its backoff). Also the request part of the execution name, so
 * a duplicate of the same request maps to the same execution and a later, different one does not.
 */
import type { Application } from '../model/application.ts';
import type { OperationRecord } from '../store/ports.ts';
import type { AutoSyncDecision, AutoSyncInput, LastOperation } from '../sync/auto-sync.ts';
import type { PlanRequest } from './contracts.ts';
import type { Comparison } from './compare.ts';
import type { EngineResult } from './operation-record.ts';
import { automatedOptions, specRetry } from './operation-options.ts';
import type { OperationOptions } from './plan-document.ts';

export type StartDecision =
  | { start: false }
  | { start: true; options: OperationOptions; /** What makes this request distinct (part of the execution name). */ dedupe: string };

/** JSON with sorted keys: DynamoDB does not keep the key order of maps. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (typeof v !== 'object' || v === null) return v;
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)]));
  };
  return JSON.stringify(sort(value));
}

function lastOperationOf(record: OperationRecord): LastOperation {
  const result = record.result as Partial<EngineResult> | undefined;
  const phase = record.phase === 'Aborted' || record.phase === 'Terminated' ? 'Failed' : record.phase;
  return {
    revision: record.revision,
    source: canonical(record.source),
    phase,
    message: record.message ?? '',
    ...(record.finishedAt ? { finishedAt: Math.floor(Date.parse(record.finishedAt) / 1000) } : {}),
    selfHealAttempts: result?.selfHealAttempts ?? 0,
  };
}

/** The auto-sync decision's input (SPEC-sync §6). */
export function autoSyncInput(
  app: Application, comparison: Comparison, operationRunning: boolean, last: OperationRecord | undefined, revision: string, now: number,
): AutoSyncInput {
  const { automated, syncOptions } = app.spec.syncPolicy;
  const retry = specRetry(app);
  return {
    automated: automated ?? null,
    syncOptions,
    ...(retry ? { retry } : {}),
    operationRunning,
    deleting: false,
    syncStatus: comparison.sync,
    resources: comparison.resources.filter((r) => !r.hook && r.sync.status !== null).map((r) => ({
      key: { group: r.group, kind: r.kind, namespace: r.namespace ?? '', name: r.name },
      status: r.sync.status!,
      requiresPruning: r.requiresPruning ?? false,
    })),
    desired: { revision, source: canonical(app.spec.source) },
    ...(last ? { lastOperation: lastOperationOf(last) } : {}),
    now,
  };
}

/**
 * Start or not, and with which options.
 * @example startDecision(req, undefined, { action: 'sync', operation }, last) // { start: true, options, dedupe: 'auto:<last syncId>:0' }
 */
export function startDecision(req: PlanRequest, manual: OperationOptions | undefined, auto: AutoSyncDecision | undefined, last: OperationRecord | undefined): StartDecision {
  if (manual) return { start: true, options: manual, dedupe: `request:${req.requestId}` };
  if (auto?.action !== 'sync') return { start: false };
  // Until the first task records the new operation, duplicates see the same last operation.
  const dedupe = `auto:${last?.syncId ?? 'none'}:${auto.operation.selfHealAttempts}`;
  return { start: true, options: automatedOptions(req, auto.operation), dedupe };
}
