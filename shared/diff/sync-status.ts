/**
 * Sync status (SPEC-sync §5.1), per resource and per app. Hooks, ignored and Skip objects, and live
 * objects whose tracking id names another object, get no status and never make the app OutOfSync.
 */
import { compareOptionsOf } from '../model/annotations.ts';
import type { KubeObject } from '../model/object.ts';

/** A resource's or an app's sync status. */
export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

/** What the status of one resource depends on. */
export interface ResourceSyncInput {
  /** The desired object (null or absent: not in Git any more). */
  desired?: KubeObject | null;
  /** The live object (null or absent: not in the cluster). */
  live?: KubeObject | null;
  /** A hook, an ignored object or a Skip object. Default false. */
  hook?: boolean;
  /** The live object's tracking id describes another object (it was copied). Default false. */
  trackingMismatch?: boolean;
  /** The diff of desired and live showed a modification (`diffObjects(...).modified`). */
  modified?: boolean;
  /** The kind is forbidden by the project, or the manifests or live state failed to load. */
  error?: boolean;
}

/** A resource's sync status; null status means the resource gets none. */
export interface ResourceSyncStatus {
  status: SyncStatusCode | null;
  requiresPruning: boolean;
}

/**
 * The sync status of one resource.
 * @example resourceSyncStatus({ desired: null, live }) // { status: 'OutOfSync', requiresPruning: true }
 */
export function resourceSyncStatus(input: ResourceSyncInput): ResourceSyncStatus {
  const { desired, live } = input;
  if (input.hook || (live && input.trackingMismatch)) return { status: null, requiresPruning: false };
  if (input.error) return { status: 'Unknown', requiresPruning: false };
  if (!desired && live) return { status: 'OutOfSync', requiresPruning: true };
  if (desired && !live) return { status: 'OutOfSync', requiresPruning: false };
  if (!desired) return { status: null, requiresPruning: false };
  return { status: input.modified ? 'OutOfSync' : 'Synced', requiresPruning: false };
}

/** One resource as the app status reads it. */
export interface AppSyncEntry {
  status: SyncStatusCode | null;
  desired?: KubeObject | null;
  live?: KubeObject | null;
}

/** Options of {@link appSyncStatus}. */
export interface AppSyncOptions {
  /** Manifests failed to render or the comparison failed (a `ComparisonError` condition). */
  comparisonError?: boolean;
  /** The Application's `managedNamespaceMetadata` differs from the namespace's. */
  managedNamespaceMetadataChanged?: boolean;
}

function ignoresExtraneous(live: KubeObject | null | undefined): boolean {
  return compareOptionsOf(live ?? undefined).has('IgnoreExtraneous');
}

function countsAsOutOfSync(entry: AppSyncEntry): boolean {
  if (entry.status !== 'OutOfSync') return false;
  return Boolean(entry.desired) || !ignoresExtraneous(entry.live);
}

/**
 * The sync status of an app from its resources.
 * @example appSyncStatus([{ status: 'Synced' }, { status: 'OutOfSync', desired }]) // 'OutOfSync'
 */
export function appSyncStatus(entries: readonly AppSyncEntry[], options: AppSyncOptions = {}): SyncStatusCode {
  if (options.comparisonError) return 'Unknown';
  if (options.managedNamespaceMetadataChanged || entries.some(countsAsOutOfSync)) return 'OutOfSync';
  return 'Synced';
}
