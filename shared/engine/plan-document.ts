/**
 * The plan document (`plans/<app>/<syncId>.json`): everything a tick needs that must not change
 * while the operation runs. The plan λ writes it once; every wave task and the record task re-read
 * it, so the execution's own payload stays a few ids (SECURITY.md §4). The Application may be edited
 * or re-registered meanwhile: the running sync keeps the settings it started with, like an Argo CD
 * operation keeps its `operation.sync` copy.
 */
import type { ApplicationSource, IgnoreDifference } from '../model/application.ts';
import type { KubeObject, ResourceKey } from '../model/object.ts';
import type { PlanSettings } from '../sync/types.ts';
import type { RetryPolicy } from '../sync/auto-sync.ts';
import type { SyncTrigger } from './contracts.ts';
import { BUCKET_PREFIXES } from '../config/resources.ts';
import { BlobError, readJson, writeJson, type BlobStore } from './blob-store.ts';

/** Bump when the stored shape changes. */
export const PLAN_FORMAT = 1;

/** A live object by type and name, as the plan saw it: the prune candidates each tick reads again. */
export interface LiveRef extends ResourceKey {
  apiVersion: string;
}

/** Who asked and how (SPEC-sync §7.3 `operation`). */
export interface OperationOptions {
  trigger: SyncTrigger;
  requestId?: string;
  initiatedBy: { username?: string; automated?: boolean };
  dryRun: boolean;
  prune: boolean;
  /** `syncStrategy`: `apply` runs no hooks (rollback always uses it, §2.8). */
  strategy: 'hook' | 'apply';
  /** A selective sync (selfHeal, `--resource`): only these, no hooks, no history. */
  resources?: ResourceKey[];
  /** One-off parameter overrides (image tag…): the deploy is recorded as not from Git. */
  overrides?: Record<string, unknown>;
  /** Rollback to this history entry. */
  rollbackId?: number;
  /** Replaces the Application's syncOptions for this operation. */
  syncOptions?: string[];
  /** SelfHeal attempts so far for this revision (SPEC-sync §6 backoff). */
  selfHealAttempts?: number;
  /** Retry of a failed attempt (SPEC-sync §6): the spec's, `{limit: 5}` for automated ones; absent = none. */
  retry?: RetryPolicy;
}

export interface PlanDocument {
  format: typeof PLAN_FORMAT;
  app: string;
  syncId: string;
  cluster: string;
  project: string;
  /** The full commit SHA. */
  revision: string;
  /** The source the render came from (history records it). */
  source: ApplicationSource;
  /** S3 key of the render this plan was made from. */
  renderKey: string;
  /** RFC 3339; `settings.startedAt` is the same instant in unix seconds (generateName hooks use it). */
  startedAt: string;
  destination: { server?: string; name?: string; namespace: string };
  /** What the planner needs, fixed for the whole operation. */
  settings: PlanSettings;
  /** Rendered objects; non-hook objects already carry the tracking annotation (SPEC-sync §5.5). */
  desired: KubeObject[];
  /** Live objects tracked to the app when the plan was made (prune candidates). */
  liveRefs: LiveRef[];
  /** Keys (`group/kind/ns/name`) the plan found OutOfSync: ApplyOutOfSyncOnly applies only these. */
  outOfSync: string[];
  ignoreDifferences: IgnoreDifference[];
  revisionHistoryLimit: number;
  operation: OperationOptions;
}

/**
 * Where a plan lives.
 * @example planKey('web', 'web-6ccfe74-1f0c') // 'plans/web/web-6ccfe74-1f0c.json'
 */
export function planKey(app: string, syncId: string): string {
  return `${BUCKET_PREFIXES.plans}${app}/${syncId}.json`;
}

/** Whether the operation only touches some resources (no hooks, no history). */
export function isSelective(doc: Pick<PlanDocument, 'operation'>): boolean {
  return (doc.operation.resources?.length ?? 0) > 0;
}

/** Writes the plan, unless one is already there (a repeated request must not move `startedAt`). */
export async function writePlanOnce(blobs: BlobStore, doc: PlanDocument): Promise<PlanDocument> {
  const key = planKey(doc.app, doc.syncId);
  if ((await blobs.get(key)) !== undefined) return readPlan(blobs, key);
  await writeJson(blobs, key, doc);
  return doc;
}

/**
 * Reads and checks a plan; a BlobError naming the key and the field when it is malformed.
 * @example const plan = await readPlan(blobs, input.planKey);
 */
export async function readPlan(blobs: BlobStore, key: string, expect?: { app: string; syncId: string }): Promise<PlanDocument> {
  const doc = await readJson<PlanDocument>(blobs, key);
  const problem = planProblem(doc);
  if (problem) throw new BlobError(`plan ${key}: ${problem}`);
  if (expect && (doc.app !== expect.app || doc.syncId !== expect.syncId)) {
    throw new BlobError(`plan ${key}: belongs to ${doc.app}/${doc.syncId}, not ${expect.app}/${expect.syncId}`);
  }
  return doc;
}

function planProblem(doc: PlanDocument): string | undefined {
  if (typeof doc !== 'object' || doc === null) return 'not an object';
  if (doc.format !== PLAN_FORMAT) return `format ${String(doc.format)} is not ${PLAN_FORMAT}`;
  for (const field of ['app', 'syncId', 'cluster', 'revision', 'startedAt'] as const) {
    if (typeof doc[field] !== 'string' || doc[field] === '') return `field ${field} is missing`;
  }
  if (!Array.isArray(doc.desired)) return 'field desired is not a list';
  if (!Array.isArray(doc.liveRefs)) return 'field liveRefs is not a list';
  if (typeof doc.settings !== 'object' || doc.settings === null) return 'field settings is missing';
  if (typeof doc.operation !== 'object' || doc.operation === null) return 'field operation is missing';
  return undefined;
}
