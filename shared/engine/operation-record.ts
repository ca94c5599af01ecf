/**
 * The operation record in the store (shared/store OperationRecord) as the engine keeps it: the
 * tick's persisted state (SPEC-sync §1.8: phase, message, per-task results keyed
 * `group/kind/ns/name:phase`, startedAt, revision) in `result.state`, the health each tick last saw
 * in `result.health`, and where the state machine stands in `result.loop`. Every write is fenced.
 */
import type { HealthStatus } from '../health/types.ts';
import type { OperationRecord, OperationStore, OperationPhase as RecordPhase } from '../store/ports.ts';
import { startOperation, type OperationState } from '../sync/state.ts';
import type { SyncPhase } from './contracts.ts';
import { childExecutionName } from './execution-names.ts';
import { isSelective, type PlanDocument } from './plan-document.ts';

/** What the engine keeps in `OperationRecord.result`. */
export interface EngineResult {
  state: OperationState;
  /** Health of each task's live object at the last tick, by task id (null = no health check). */
  health: Record<string, HealthStatus | null>;
  /** The state machine phase and wave the last task ran in. */
  loop?: { phase: SyncPhase; wave?: number };
  cluster: string;
  /** The execution that holds the cluster lock for the operation: the cluster's writer. */
  owner: string;
  /** The sync's own (child) execution, named after the app, revision and the writer's fence: what the console and the dashboard show. */
  execution?: string;
  overrides?: Record<string, unknown>;
  /** SelfHeal attempts for this revision, carried to the next auto-sync decision (SPEC-sync §6). */
  selfHealAttempts?: number;
  /** The newer sync that superseded this one before it applied anything (supersede.ts). */
  superseded?: string;
}

/** The tick state stored for an operation, or a fresh one when none is stored yet. */
export function engineResultOf(record: OperationRecord | undefined, plan: PlanDocument, owner: string, fence?: number): EngineResult {
  const stored = record?.result as EngineResult | undefined;
  // A writer that runs the operation again (after a crash) is the one to show.
  const execution = fence === undefined ? stored?.execution : sameWriterRun(stored?.execution, plan.syncId, fence);
  if (stored?.state) return { ...stored, owner, ...(execution ? { execution } : {}) };
  return {
    ...(execution ? { execution } : {}),
    state: startOperation(plan.revision, plan.settings.startedAt),
    health: {},
    cluster: plan.cluster,
    owner,
    ...(plan.operation.overrides ? { overrides: plan.operation.overrides } : {}),
    ...(plan.operation.selfHealAttempts ? { selfHealAttempts: plan.operation.selfHealAttempts } : {}),
  };
}

/** The run a sync that gave its place back to its children recorded (`…-w7r1`) while the same writer runs it; else the writer's first. */
function sameWriterRun(recorded: string | undefined, syncId: string, fence: number): string {
  const resumes = Number(/-w\d+r(\d+)$/.exec(recorded ?? '')?.[1] ?? 0);
  return resumes > 0 && recorded === childExecutionName(syncId, fence, resumes) ? recorded : childExecutionName(syncId, fence);
}

/** The store's phase for a tick phase: Terminating still runs. */
export function recordPhase(state: OperationState): RecordPhase {
  return state.phase === 'Terminating' ? 'Running' : state.phase;
}

/**
 * The operation record of a plan with a given engine result.
 * @example await store.putOperation(operationRecord(plan, result, now), guard);
 */
export function operationRecord(plan: PlanDocument, result: EngineResult): OperationRecord {
  const { state } = result;
  return {
    syncId: plan.syncId,
    app: plan.app,
    phase: recordPhase(state),
    message: state.message,
    revision: plan.revision,
    source: plan.source,
    dryRun: plan.operation.dryRun,
    prune: plan.operation.prune,
    selective: isSelective(plan),
    fromGit: plan.operation.overrides === undefined,
    initiatedBy: plan.operation.initiatedBy,
    startedAt: plan.startedAt,
    ...(state.finishedAt !== undefined ? { finishedAt: new Date(state.finishedAt * 1000).toISOString() } : {}),
    retryCount: state.retryCount,
    result: result as unknown as Record<string, unknown>,
  };
}

/** The operation as the status item shows it (no per-task results: those stay in the record). */
export function operationSummary(record: OperationRecord): OperationRecord {
  const { result: _result, ...summary } = record;
  // The status speaks Argo CD's operation phases: an aborted execution never reached an outcome
  // (the janitor shows it as Error), a terminated one ended Failed.
  const phase = summary.phase === 'Aborted' ? 'Error' : summary.phase === 'Terminated' ? 'Failed' : summary.phase;
  return { ...summary, phase };
}

/** Reads the stored engine result of an operation. */
export async function loadEngineResult(store: OperationStore, plan: PlanDocument, owner: string, fence?: number): Promise<EngineResult> {
  return engineResultOf(await store.getOperation(plan.app, plan.syncId), plan, owner, fence);
}
