/**
 * The comparison the plan step writes as status (SPEC-sync §5): for each resource the server-side
 * diff (predicted live = a dry-run apply of the desired object, §5.2; creates and deletes are never
 * dry-run), its sync status, its health, and the app's sync status and health. A dry run the server
 * refuses makes the resource OutOfSync with the server's words, so the sync that follows surfaces
 * the same failure in its own dry run.
 */
import { appHealth } from '../health/app-health.ts';
import { healthOf, type HealthOptions } from '../health/health.ts';
import type { HealthStatus } from '../health/types.ts';
import type { IgnoreDifference } from '../model/application.ts';
import { keyString } from '../model/object.ts';
import { appSyncStatus, diffObjects, resourceSyncStatus, type SyncStatusCode } from '../diff/index.ts';
import type { ClusterClient } from '../kube/index.ts';
import { planSync } from '../sync/plan.ts';
import type { SyncPlan, SyncPlanInput, SyncTask } from '../sync/types.ts';
import { KUBE_CONCURRENCY, mapLimit } from './live.ts';

/** One resource as the status shows it (the rows of `gitwave app get`). */
export interface ResourceRow {
  group: string;
  kind: string;
  /** null for cluster-scoped objects. */
  namespace: string | null;
  name: string;
  phase: string;
  wave: number;
  hook: boolean;
  sync: { status: SyncStatusCode | null };
  health: { status: HealthStatus['status'] | null; message?: string };
  requiresPruning?: boolean;
  /** Why the comparison could not predict the object (a refused dry run). */
  message?: string;
}

export interface Comparison {
  plan: SyncPlan;
  resources: ResourceRow[];
  sync: SyncStatusCode;
  health: HealthStatus;
  /** Keys (`group/kind/ns/name`) of resources whose live state differs from Git. */
  outOfSync: string[];
}

interface Verdict {
  modified: boolean;
  message?: string;
}

/**
 * Plans against live state and compares every desired resource with its live object.
 * @example const { sync, health, resources } = await compareApp(kube, { desired, live, settings }, app.spec.ignoreDifferences);
 */
export async function compareApp(kube: ClusterClient, input: SyncPlanInput, ignoreDifferences: readonly IgnoreDifference[], healthOptions: HealthOptions = {}): Promise<Comparison> {
  const plan = planSync(input);
  const compared = plan.tasks.filter((t) => !t.hook && t.action === 'apply' && t.target !== undefined && t.live !== undefined);
  const verdicts = new Map<string, Verdict>();
  const results = await mapLimit(compared, KUBE_CONCURRENCY, (task) => verdictOf(kube, task, ignoreDifferences));
  compared.forEach((task, i) => verdicts.set(task.id, results[i]));
  const resources = plan.tasks.filter((t) => t.action !== 'create-namespace').map((task) => rowOf(task, verdicts.get(task.id), healthOptions));
  const entries = plan.tasks.filter((t) => t.action !== 'create-namespace').map((task, i) => ({ status: resources[i].sync.status, desired: task.target ?? null, live: task.live ?? null }));
  const failedToCompare = plan.errors.length > 0;
  const health = appHealth(plan.tasks.map((t) => ({ key: t.key, hook: t.hook, desired: t.target ?? null, live: t.live ?? null })), healthOptions);
  return {
    plan,
    resources,
    sync: appSyncStatus(entries, { comparisonError: failedToCompare }),
    health: health.message ? { status: health.status, message: health.message } : { status: health.status },
    outOfSync: resources.filter((r) => r.sync.status === 'OutOfSync').map((r) => keyString({ ...r, namespace: r.namespace ?? '' })),
  };
}

async function verdictOf(kube: ClusterClient, task: SyncTask, ignoreDifferences: readonly IgnoreDifference[]): Promise<Verdict> {
  if (task.skipDryRun) return { modified: true, message: 'not compared: its kind is not served yet' };
  try {
    const predicted = await kube.dryRunApply(task.target!);
    return { modified: diffObjects(predicted.object, task.live!, { ignoreDifferences }).modified };
  } catch (error) {
    return { modified: true, message: error instanceof Error ? error.message : String(error) };
  }
}

function rowOf(task: SyncTask, verdict: Verdict | undefined, healthOptions: HealthOptions): ResourceRow {
  const { group, kind, namespace, name } = task.key;
  const status = resourceSyncStatus({
    desired: task.action === 'prune' ? null : task.target ?? null,
    live: task.live ?? null,
    hook: task.hook,
    modified: verdict?.modified ?? false,
  });
  const health = task.live ? healthOf(task.live, healthOptions) : null;
  const row: ResourceRow = {
    group, kind, namespace: namespace === '' ? null : namespace, name,
    phase: task.phase, wave: task.wave, hook: task.hook,
    sync: { status: status.status },
    health: health ? { status: health.status, ...(health.message ? { message: health.message } : {}) } : { status: task.live || task.hook ? null : 'Missing' },
  };
  if (status.requiresPruning) row.requiresPruning = true;
  if (verdict?.message) row.message = verdict.message;
  return row;
}
