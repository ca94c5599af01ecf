/**
 * Everything one tick reads, gathered fresh by each wave task: the plan's inputs (desired objects,
 * fixed settings, the cluster's kinds, the project check), the live object of every task and prune
 * candidate (one GET each) with its health, and the recorded state, in which hooks recorded as
 * "creating" by a task that was cut short are settled first (see `settleCreating`).
 */
import { healthOf, type HealthOptions } from '../health/health.ts';
import { keyString, type KubeObject } from '../model/object.ts';
import type { ClusterClient } from '../kube/index.ts';
import { planSync } from '../sync/plan.ts';
import type { LiveObject } from '../sync/tick.ts';
import type { OperationState } from '../sync/state.ts';
import type { SyncPlanInput } from '../sync/types.ts';
import type { Binding } from './binding.ts';
import { discoverKinds, projectCheck } from './cluster-policy.ts';
import { getLive, liveKeyOf } from './live.ts';
import type { LiveRef, PlanDocument } from './plan-document.ts';

/** The message of a hook recorded just before its creation (a generateName hook is not idempotent). */
export const CREATING = 'creating';

/**
 * The planner's inputs for a plan document, against the cluster as discovery shows it now.
 * @example const input = await planInputOf(kube, plan, binding);
 */
export async function planInputOf(kube: ClusterClient, plan: PlanDocument, binding: Binding): Promise<Omit<SyncPlanInput, 'live'>> {
  const facts = await discoverKinds(kube, plan.desired);
  const outOfSync = new Set(plan.outOfSync);
  return {
    desired: plan.desired,
    settings: plan.settings,
    isServed: facts.isServed,
    checkProject: projectCheck(binding.project, binding.cluster, facts),
    isModified: (key) => outOfSync.has(keyString(key)),
  };
}

/** The references a tick reads: every task's object (hooks by their final name) and the prune candidates. */
export function tickRefs(input: Omit<SyncPlanInput, 'live'>, state: OperationState, liveRefs: readonly LiveRef[]): LiveRef[] {
  const settings = { ...input.settings, revision: state.revision, startedAt: state.startedAt };
  const { tasks } = planSync({ ...input, settings, live: [] });
  return [...tasks.map((t) => ({ ...t.key, apiVersion: t.apiVersion })), ...liveRefs];
}

/**
 * The live objects of a tick, each with its health (null = the kind has no health check).
 * @example const live = await readLive(kube, tickRefs(input, state, plan.liveRefs));
 */
export async function readLive(kube: ClusterClient, refs: readonly LiveRef[], health: HealthOptions = {}): Promise<LiveObject[]> {
  return (await getLive(kube, refs)).map((object) => ({ object, health: healthOf(object, health) }));
}

/**
 * Hooks recorded as "creating" by a task that stopped before it could record the outcome: those
 * that exist (and are not being deleted) were created, so they run; the others never were, so they
 * are pending again and the next apply creates them. Without the record a re-run would delete and
 * re-create a hook that already ran (BeforeHookCreation), running a migration twice.
 */
export function settleCreating(state: OperationState, live: readonly LiveObject[]): OperationState {
  const byKey = new Map<string, KubeObject>(live.map((l) => [keyString(liveKeyOf(l.object)), l.object]));
  const results = { ...state.results };
  for (const [id, result] of Object.entries(state.results)) {
    if (result.hookPhase !== 'Running' || result.status !== '' || result.message !== CREATING) continue;
    const obj = byKey.get(keyString(result));
    if (obj && !obj.metadata.deletionTimestamp) results[id] = { ...result, status: 'Synced', message: `${result.name} created` };
    else delete results[id];
  }
  return { ...state, results };
}
