/**
 * GET /api/applications/{name}/operation: the Application's current (or last) operation as people
 * follow it live (`gitwave app sync --watch`, the dashboard): every resource and hook of the plan in
 * phase and wave order with its state and health, each wave's state, and one sentence that says what
 * the operation waits for or why it failed ("wave 2 waits for Deployment/orders-grpc (Progressing: …)").
 *
 * Built only from the stored operation record and its plan document, so it reads the same whichever
 * execution runs the sync. A plan that cannot be read (expired, another format) leaves the rows the
 * record's results give, without waves it cannot know.
 */
import type { HealthStatus } from '../health/types.ts';
import { SYNC_PHASES } from '../model/annotations.ts';
import { planSync } from '../sync/plan.ts';
import type { ResourceResult } from '../sync/state.ts';
import type { OperationRecord } from '../store/ports.ts';
import type { EngineResult } from '../engine/operation-record.ts';
import { planKey, readPlan } from '../engine/plan-document.ts';
import { requireApplication } from './applications.ts';
import type { ApiDeps } from './deps.ts';
import { waveStates, explain } from './operation-explain.ts';

/** What became of one resource or hook so far. */
export type StepState = 'Pending' | 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped' | 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';

export interface StepView {
  phase: string;
  /** null when the plan could not be read. */
  wave: number | null;
  hook: boolean;
  group: string;
  kind: string;
  namespace: string | null;
  name: string;
  state: StepState;
  /** The health the last tick saw (null: no health check, or not looked at yet). */
  health: { status: string; message: string | null } | null;
  message: string;
}

export type WaveState = 'Pending' | 'Running' | 'Done' | 'Failed' | 'Skipped';

export interface WaveView {
  phase: string;
  wave: number;
  state: WaveState;
  /** Steps of the wave finished (applied and healthy, hook succeeded, pruned). */
  done: number;
  total: number;
}

export interface OperationDetail {
  syncId: string;
  /** The API request that started it (`gitwave app sync` prints it), when a person asked. */
  requestId: string | null;
  phase: string;
  message: string;
  revision: string;
  startedAt: string;
  finishedAt: string | null;
  dryRun: boolean;
  retryCount: number;
  /** The sentence that says what the operation waits for, why it failed, or what it did. */
  explanation: string;
  waves: WaveView[];
  steps: StepView[];
}

export interface OperationView {
  app: string;
  /** The Application's status as last recorded. */
  sync: string;
  health: string;
  /** When the status was last compared with the cluster (a new plan changes it). */
  reconciledAt: string | null;
  /** Why nothing starts: a render refused (ComparisonError) or a request refused (SyncError). */
  conditions: Array<{ type: string; message: string }>;
  /** The current operation (the one the status shows, else the newest record); null before the first. */
  operation: OperationDetail | null;
}

/** GET /api/applications/{name}/operation */
export async function applicationOperation(deps: ApiDeps, name: string): Promise<OperationView> {
  await requireApplication(deps, name);
  const status = await deps.store.getStatus(name);
  const syncId = status?.operationState?.syncId;
  const record = syncId ? await deps.store.getOperation(name, syncId) : (await deps.store.listOperations(name))[0];
  return {
    app: name,
    sync: status?.sync?.status ?? 'Unknown',
    health: status?.health?.status ?? 'Unknown',
    reconciledAt: status?.reconciledAt ?? null,
    conditions: (status?.conditions ?? []).map(({ type, message }) => ({ type, message })),
    operation: record ? await operationDetail(deps, record) : null,
  };
}

async function operationDetail(deps: ApiDeps, record: OperationRecord): Promise<OperationDetail> {
  const { steps, requestId } = await stepsOf(deps, record);
  const waves = waveStates(record.phase, steps);
  return {
    syncId: record.syncId,
    requestId,
    phase: record.phase,
    message: record.message ?? '',
    revision: record.revision,
    startedAt: record.startedAt,
    finishedAt: record.finishedAt ?? null,
    dryRun: record.dryRun,
    retryCount: record.retryCount ?? 0,
    explanation: explain(record, steps, waves),
    waves,
    steps,
  };
}

/** The plan's tasks joined with the record's results and health, in execution order. */
async function stepsOf(deps: ApiDeps, record: OperationRecord): Promise<{ steps: StepView[]; requestId: string | null }> {
  const result = (record.result ?? {}) as Partial<EngineResult>;
  const results = result.state?.results ?? {};
  const health = result.health ?? {};
  const { tasks, requestId } = await plannedTasks(deps, record, result);
  const steps: StepView[] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    if (task.action === 'create-namespace') continue;
    seen.add(task.id);
    const { group, kind, namespace, name } = task.key;
    steps.push(stepOf({ phase: task.phase, wave: task.wave, hook: task.hook, group, kind, namespace, name }, results[task.id], health[task.id]));
  }
  // Prunes and anything the plan does not list: from the results alone, in the order they ran.
  for (const [id, r] of Object.entries(results).sort(([, a], [, b]) => a.order - b.order)) {
    if (seen.has(id)) continue;
    const wave = tasks.length > 0 ? 0 : null;
    steps.push(stepOf({ phase: r.syncPhase, wave, hook: r.hookType !== '', group: r.group, kind: r.kind, namespace: r.namespace, name: r.name }, r, health[id]));
  }
  return { steps, requestId };
}

type StepIdentity = Pick<StepView, 'phase' | 'wave' | 'hook' | 'group' | 'kind' | 'name'> & { namespace: string };

function stepOf(id: StepIdentity, result: ResourceResult | undefined, health: HealthStatus | null | undefined): StepView {
  const state: StepState = (id.hook ? result?.hookPhase || result?.status : result?.status) || 'Pending';
  return {
    ...id,
    namespace: id.namespace === '' ? null : id.namespace,
    state,
    health: health ? { status: health.status, message: health.message ?? null } : null,
    message: result?.message ?? '',
  };
}

/** The plan's tasks as the operation runs them (its own start time names generateName hooks); [] when unreadable. */
async function plannedTasks(deps: ApiDeps, record: OperationRecord, result: Partial<EngineResult>) {
  try {
    const plan = await readPlan(deps.blobs, planKey(record.app, record.syncId), { app: record.app, syncId: record.syncId });
    const { resources: _selected, ...whole } = plan.settings;
    const settings = { ...whole, revision: result.state?.revision ?? plan.revision, startedAt: result.state?.startedAt ?? plan.settings.startedAt };
    const selected = plan.settings.resources;
    const { tasks } = planSync({ desired: plan.desired, settings: selected ? { ...settings, resources: selected } : settings, live: [] });
    const ordered = tasks.sort((a, b) => SYNC_PHASES.indexOf(a.phase) - SYNC_PHASES.indexOf(b.phase) || a.wave - b.wave);
    return { tasks: ordered, requestId: plan.operation.requestId ?? null };
  } catch {
    return { tasks: [], requestId: null };
  }
}
