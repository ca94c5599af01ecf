/**
 * shared/diff: the comparison of desired (as predicted live) and live state (SPEC-sync §5), with
 * normalisation, ignored differences, Secret masking and sync status. Pure functions of data.
 */
export { diffObjects, type DiffOptions, type DiffResult } from './diff.ts';
export { normalize, type NormalizeOptions, type IgnoreStatusField } from './normalize.ts';
export { maskSecret, maskSecretPair, isSecret, REDACTED } from './secret.ts';
export { validateIgnoreDifferences, ignoreMatches, type IgnoreDifference } from './ignore.ts';
export { changesBetween, type Change } from './changes.ts';
export { formatChange, formatChanges } from './format.ts';
export { parsePointer, formatPointer } from './pointer.ts';
export { DiffConfigError } from './errors.ts';
export {
  resourceSyncStatus, appSyncStatus,
  type SyncStatusCode, type ResourceSyncInput, type ResourceSyncStatus, type AppSyncEntry, type AppSyncOptions,
} from './sync-status.ts';
