/**
 * The health of one live object (SPEC-sync §4.1), first match wins: pending deletion, a custom
 * check, the built-in check for the exact group/version/kind, else no health (null, not Healthy).
 */
import { groupOf, versionOf, type KubeObject } from '../model/object.ts';
import { HEALTH_ORDER, type HealthStatus } from './types.ts';
import { applicationHealthCheck } from './application.ts';
import { builtinCheck } from './builtins.ts';
import { findCustomCheck, type CustomHealthCheck, type CustomHealthChecks } from './custom.ts';
import { health } from './util.ts';

/** The finalizer the sync engine puts on hooks so that their result can be read before they go. */
export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/** Options of {@link healthOf}. */
export interface HealthOptions {
  /** Custom checks by `group_kind` / `Kind` key; they override built-ins. Default: none. */
  customChecks?: CustomHealthChecks;
  /**
   * Opt in to the argoproj.io/Application check (Progressing until the child reports health, then
   * its health), so app-of-apps waves wait for children. A custom check for Applications wins. Default: false.
   */
  applicationHealth?: boolean;
}

/**
 * Being deleted, and not held by the hook finalizer (a finished hook's result must still be read).
 * @example isPendingDeletion({ apiVersion: 'v1', kind: 'Pod', metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } }) // true
 */
export function isPendingDeletion(obj: KubeObject): boolean {
  return Boolean(obj.metadata.deletionTimestamp) && !(obj.metadata.finalizers ?? []).includes(HOOK_FINALIZER);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The custom check that applies to an object under these options, if any.
 * @example customCheckFor(application, { applicationHealth: true }) // applicationHealthCheck
 */
export function customCheckFor(obj: KubeObject, options: HealthOptions): CustomHealthCheck | undefined {
  const group = groupOf(obj.apiVersion);
  const custom = options.customChecks && findCustomCheck(options.customChecks, group, obj.kind);
  if (custom) return custom;
  if (options.applicationHealth && group === 'argoproj.io' && obj.kind === 'Application') return applicationHealthCheck;
  return undefined;
}

function validated(result: HealthStatus): HealthStatus {
  if ((HEALTH_ORDER as readonly string[]).includes(result.status)) return result;
  return health('Unknown', `custom health check returned unknown status "${String(result.status)}"`);
}

function builtinHealth(obj: KubeObject): HealthStatus | null {
  const version = versionOf(obj.apiVersion);
  const lookup = builtinCheck(groupOf(obj.apiVersion), obj.kind, version);
  if (lookup.found === 'none') return null;
  if (lookup.found === 'unsupported-version') {
    return health('Unknown', `unsupported ${obj.kind} version ${obj.apiVersion}`);
  }
  try {
    return lookup.check(obj);
  } catch (err) {
    return health('Unknown', errorMessage(err));
  }
}

/**
 * The health of a live object, or null when its kind has no health check.
 * @example healthOf({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, status: { phase: 'Bound' } }) // { status: 'Healthy' }
 * @example healthOf({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }) // null
 */
export function healthOf(input: KubeObject, options: HealthOptions = {}): HealthStatus | null {
  if (typeof input.apiVersion !== 'string' || typeof input.kind !== 'string') return null;
  // Objects in reports and fixtures may come without metadata; the checks read it unguarded.
  const obj = input.metadata ? input : { ...input, metadata: {} };
  if (isPendingDeletion(obj)) {
    return health('Progressing', 'Pending deletion');
  }
  const custom = customCheckFor(obj, options);
  if (custom) {
    try {
      const result = custom(obj);
      if (result) return validated(result);
    } catch (err) {
      return health('Unknown', errorMessage(err));
    }
  }
  return builtinHealth(obj);
}
