/**
 * Pushes during a sync end on the newest commit (SECURITY.md §7 rows 13, 33). The plan step records,
 * per Application, the newest sync it started (`plans/<app>/_latest-request.json`, next to the plan
 * documents: the lock-free blob store, since the status may not be written while another sync holds
 * the cluster). An execution that has applied nothing yet and finds, at its first apply tick (under
 * the lock), that a sync of another revision was requested after it is superseded: it applies
 * nothing, ends Terminated `superseded by a newer sync of <rev7>`, enters no history and leaves the
 * Application's status to the newer sync. So two pending syncs of one app never deploy out of order.
 */
import { BUCKET_PREFIXES } from '../config/resources.ts';
import type { OperationState } from '../sync/state.ts';
import { writeJson, type BlobStore } from './blob-store.ts';
import type { EngineResult } from './operation-record.ts';
import type { PlanDocument } from './plan-document.ts';

/** The newest sync the plan step started for an Application. */
export interface LatestRequest {
  syncId: string;
  revision: string;
  requestedAt: string;
}

/** `_` cannot start an execution name (app names are DNS labels), so no plan document has this key. */
export function latestRequestKey(app: string): string {
  return `${BUCKET_PREFIXES.plans}${app}/_latest-request.json`;
}

/**
 * Written before the execution starts, so an execution always finds its own request or a newer one
 * (FIFO per app: the last written is the newest request). A duplicate request does not write it.
 */
export function recordLatestRequest(blobs: BlobStore, app: string, latest: LatestRequest): Promise<void> {
  return writeJson(blobs, latestRequestKey(app), latest);
}

export async function readLatestRequest(blobs: BlobStore, app: string): Promise<LatestRequest | undefined> {
  const text = await blobs.get(latestRequestKey(app));
  return text ? (JSON.parse(text) as LatestRequest) : undefined;
}

/** Nothing applied yet: no task has recorded where the loop stands, and no attempt failed. */
export function hasApplied(result: EngineResult): boolean {
  return result.loop !== undefined || result.state.retryCount > 0 || Object.keys(result.state.results).length > 0;
}

/**
 * The newer request that supersedes this plan's execution, if any: one of another revision (a
 * duplicate or a re-sync of the same revision never supersedes), necessarily requested after this one.
 */
export async function supersededBy(blobs: BlobStore, plan: PlanDocument): Promise<LatestRequest | undefined> {
  if (plan.operation.dryRun) return undefined;
  const latest = await readLatestRequest(blobs, plan.app);
  return latest && latest.syncId !== plan.syncId && latest.revision !== plan.revision ? latest : undefined;
}

/** The final state of a superseded operation: Failed and terminated (never retried), nothing applied. */
export function supersededState(state: OperationState, newer: LatestRequest, now: number): OperationState {
  return { ...state, phase: 'Failed', terminated: true, finishedAt: now, message: `superseded by a newer sync of ${newer.revision.slice(0, 7)}` };
}
