/**
 * The Application status a finished operation leaves behind (the record step has no cluster access,
 * SECURITY.md §5): each resource's sync status from its result (applied → Synced, pruned → gone,
 * anything not applied keeps what the plan found), its health as the last tick saw it, and the app's
 * sync status and health from those. The drift sweep refreshes it from the cluster later.
 *
 * A selective sync (selfHeal) ran only some resources, but the status lists them all: those it did not
 * run keep what the plan found, and the health the previous status showed when this operation saw none.
 */
import { HEALTH_ORDER, type HealthStatus } from '../health/types.ts';
import { hasBuiltinHealth } from '../health/builtins.ts';
import { keyString } from '../model/object.ts';
import { planSync } from '../sync/plan.ts';
import type { OperationState } from '../sync/state.ts';
import type { SyncTask } from '../sync/types.ts';
import type { SyncStatusCode } from '../store/ports.ts';
import type { ResourceRow } from './compare.ts';
import type { EngineResult } from './operation-record.ts';
import type { PlanDocument } from './plan-document.ts';

export interface OutcomeStatus {
  resources: ResourceRow[];
  sync: SyncStatusCode;
  health: HealthStatus;
}

function syncOf(task: SyncTask, state: OperationState, plan: PlanDocument): SyncStatusCode | null | 'gone' {
  if (task.hook) return null;
  const status = state.results[task.id]?.status;
  if (!plan.operation.dryRun && status === 'Synced') return 'Synced';
  if (!plan.operation.dryRun && status === 'Pruned') return 'gone';
  return plan.outOfSync.includes(keyString(task.key)) ? 'OutOfSync' : 'Synced';
}

function rowOf(task: SyncTask, sync: SyncStatusCode | null, health: HealthStatus | null | undefined): ResourceRow {
  const { group, kind, namespace, name } = task.key;
  const row: ResourceRow = {
    group, kind, namespace: namespace === '' ? null : namespace, name, phase: task.phase, wave: task.wave, hook: task.hook,
    sync: { status: sync },
    health: health ? { status: health.status, ...(health.message ? { message: health.message } : {}) } : { status: null },
  };
  if (task.action === 'prune' && sync === 'OutOfSync') row.requiresPruning = true;
  return row;
}

/** The worst known health of the resources (hooks never count, §2.7); Healthy when none is known. */
function worstHealth(rows: readonly ResourceRow[]): HealthStatus {
  let worst: HealthStatus = { status: 'Healthy' };
  for (const row of rows) {
    const status = row.health.status;
    if (row.hook || status === null) continue;
    if (HEALTH_ORDER.indexOf(status) > HEALTH_ORDER.indexOf(worst.status)) {
      worst = { status, message: `caused by: ${row.group}/${row.kind}/${row.namespace ?? ''}/${row.name}${row.health.message ? ` (${row.health.message})` : ''}` };
    }
  }
  return worst;
}

/**
 * The last tick may have looked before this operation applied the object (the final wave does not
 * wait for health, §1.7): "Missing" then only means "not there yet". An object this operation applied
 * is Progressing until the next look if its kind has a health check, and has no health otherwise.
 */
function healthAfter(task: SyncTask, state: OperationState, seen: HealthStatus | null | undefined): HealthStatus | null | undefined {
  if (seen?.status !== 'Missing' || state.results[task.id]?.status !== 'Synced') return seen;
  return hasBuiltinHealth(task.key.group, task.key.kind) ? { status: 'Progressing', message: 'applied; health not checked since' } : null;
}

/** The health a status row showed for the task's object, if it knew one. */
function healthBefore(previous: readonly ResourceRow[], task: SyncTask): HealthStatus | undefined {
  const { group, kind, namespace, name } = task.key;
  const row = previous.find((r) => r.group === group && r.kind === kind && (r.namespace ?? '') === namespace && r.name === name);
  if (!row?.health.status) return undefined;
  return { status: row.health.status, ...(row.health.message ? { message: row.health.message } : {}) };
}

/**
 * The status rows and app status after an operation; `previous` is the status's rows before it.
 * @example const { resources, sync, health } = outcomeStatus(plan, result, status?.resources);
 */
export function outcomeStatus(plan: PlanDocument, result: EngineResult, previous: readonly ResourceRow[] = []): OutcomeStatus {
  const { state } = result;
  const { resources: _selected, ...whole } = plan.settings;
  const settings = { ...whole, revision: state.revision, startedAt: state.startedAt };
  const { tasks } = planSync({ desired: plan.desired, settings, live: [] });
  const pruned = new Set(Object.entries(state.results).filter(([, r]) => r.status === 'Pruned').map(([id]) => id));
  const rows: ResourceRow[] = [];
  for (const task of tasks) {
    const sync = syncOf(task, state, plan);
    if (sync !== 'gone') rows.push(rowOf(task, sync, healthAfter(task, state, result.health[task.id] ?? healthBefore(previous, task))));
  }
  // Prune candidates are not in the desired objects: report those left behind (prune off, Prune=false).
  for (const [id, r] of Object.entries(state.results)) {
    if (r.status === 'PruneSkipped' && !pruned.has(id)) {
      rows.push({ group: r.group, kind: r.kind, namespace: r.namespace || null, name: r.name, phase: r.syncPhase, wave: 0, hook: false,
        sync: { status: 'OutOfSync' }, health: { status: result.health[id]?.status ?? null }, requiresPruning: true });
    }
  }
  const sync: SyncStatusCode = rows.some((r) => r.sync.status === 'OutOfSync') ? 'OutOfSync' : 'Synced';
  return { resources: rows, sync, health: worstHealth(rows) };
}
