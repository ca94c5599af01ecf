/**
 * The Argo CD (and Helm) annotations that steer a sync, read from one object: sync wave (SPEC-sync
 * §1.2), hook types (§2.1, Helm mapping §2.2), hook delete policies (§2.4), sync options (§3) and
 * compare options (§5). Parsing only: what the values mean for a sync lives in shared/sync.
 */
import type { KubeObject } from './object.ts';

export const ANNOTATION = {
  syncWave: 'argocd.argoproj.io/sync-wave',
  hook: 'argocd.argoproj.io/hook',
  hookDeletePolicy: 'argocd.argoproj.io/hook-delete-policy',
  syncOptions: 'argocd.argoproj.io/sync-options',
  compareOptions: 'argocd.argoproj.io/compare-options',
  helmHook: 'helm.sh/hook',
  helmHookWeight: 'helm.sh/hook-weight',
  helmHookDeletePolicy: 'helm.sh/hook-delete-policy',
} as const;

/** Phases of a sync, in execution order (§1.3). */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync', 'SyncFail'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number];

/**
 * Hook types the engine knows (§2.1).
 * - PreSync / Sync / PostSync / SyncFail: a task in that phase.
 * - Skip: alone, the object is never applied; combined with others it is ignored.
 * - PreDelete / PostDelete: run on application deletion only (§2.9), never in a sync.
 */
export const HOOK_TYPES = ['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PreDelete', 'PostDelete'] as const;
export type HookType = (typeof HOOK_TYPES)[number];

/**
 * When a hook object is deleted (§2.4).
 * - BeforeHookCreation: before it is created again (the default when none is given).
 * - HookSucceeded: when the whole operation succeeds.
 * - HookFailed: when the operation fails or is terminated.
 */
export const HOOK_DELETE_POLICIES = ['BeforeHookCreation', 'HookSucceeded', 'HookFailed'] as const;
export type HookDeletePolicy = (typeof HOOK_DELETE_POLICIES)[number];

const HELM_HOOK_TYPES: Record<string, HookType> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
  'pre-delete': 'PreDelete',
  'post-delete': 'PostDelete',
};

const HELM_DELETE_POLICIES: Record<string, HookDeletePolicy> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

/** The value of one annotation, or undefined. */
export function annotation(obj: KubeObject | undefined, key: string): string | undefined {
  return obj?.metadata?.annotations?.[key];
}

/**
 * A comma list as Argo CD reads it: entries trimmed, empty ones dropped, duplicates removed
 * (first occurrence kept), case kept.
 * @example csv(' PreSync, Sync,PreSync,') // ['PreSync', 'Sync']
 */
export function csv(value: string | undefined): string[] {
  if (value === undefined) return [];
  const seen = new Set<string>();
  for (const item of value.split(',')) {
    const entry = item.trim();
    if (entry !== '') seen.add(entry);
  }
  return [...seen];
}

/** A base-10 integer with an optional sign, nothing else (no spaces, no decimals); else undefined. */
export function parseWaveValue(value: string | undefined): number | undefined {
  if (value === undefined || !/^[+-]?\d+$/.test(value)) return undefined;
  const wave = Number(value);
  return Number.isSafeInteger(wave) ? wave : undefined;
}

/**
 * The sync wave of an object (§1.2): `sync-wave`, else `helm.sh/hook-weight` (even on non-hooks),
 * else 0. An invalid value falls through to the next source.
 */
export function syncWave(obj: KubeObject | undefined): number {
  return parseWaveValue(annotation(obj, ANNOTATION.syncWave))
    ?? parseWaveValue(annotation(obj, ANNOTATION.helmHookWeight))
    ?? 0;
}

function isHookType(value: string): value is HookType {
  return (HOOK_TYPES as readonly string[]).includes(value);
}

/**
 * The valid hook types of an object: the Argo annotation's, or, when it yields none, the mapped
 * Helm ones (§2.1, §2.2). Unknown values are dropped.
 */
export function hookTypes(obj: KubeObject | undefined): HookType[] {
  const argo = csv(annotation(obj, ANNOTATION.hook)).filter(isHookType);
  if (argo.length > 0) return argo;
  const helm = csv(annotation(obj, ANNOTATION.helmHook)).map((t) => HELM_HOOK_TYPES[t]).filter((t) => t !== undefined);
  return [...new Set(helm)];
}

/** `Skip` alone among the valid types: never applied, no status, not pruned (§2.1). */
export function isSkipped(obj: KubeObject | undefined): boolean {
  const types = hookTypes(obj);
  return types.length === 1 && types[0] === 'Skip';
}

/**
 * Whether an object is a hook (§2.1): the Argo annotation is present (any value) and its types are
 * not exactly [Skip]; or there is no Argo annotation and `helm.sh/hook` is present and not
 * `crd-install`.
 */
export function isHook(obj: KubeObject | undefined): boolean {
  if (annotation(obj, ANNOTATION.hook) !== undefined) return !isSkipped(obj);
  const helm = annotation(obj, ANNOTATION.helmHook);
  return helm !== undefined && helm !== 'crd-install';
}

/** The sync phases a hook runs in, in phase order (PreDelete/PostDelete and Skip are not phases). */
export function hookPhases(obj: KubeObject | undefined): SyncPhase[] {
  const types = new Set<string>(hookTypes(obj));
  return SYNC_PHASES.filter((phase) => types.has(phase));
}

/** Delete policies of a hook: Argo's and Helm's unioned; BeforeHookCreation when none (§2.4). */
export function hookDeletePolicies(obj: KubeObject | undefined): HookDeletePolicy[] {
  const argo = csv(annotation(obj, ANNOTATION.hookDeletePolicy))
    .filter((p): p is HookDeletePolicy => (HOOK_DELETE_POLICIES as readonly string[]).includes(p));
  const helm = csv(annotation(obj, ANNOTATION.helmHookDeletePolicy)).map((p) => HELM_DELETE_POLICIES[p]).filter((p) => p !== undefined);
  const policies = [...new Set([...argo, ...helm])];
  return policies.length > 0 ? policies : ['BeforeHookCreation'];
}

/**
 * Options of a comma list of `Key=Value` entries, as a map (the last entry of a key wins). An entry
 * without `=` maps to "" (compare-options `IgnoreExtraneous`).
 * @example parseOptions(['Prune=false', 'Validate=false']).get('Prune') // 'false'
 */
export function parseOptions(entries: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    if (eq < 0) options.set(entry.trim(), '');
    else options.set(entry.slice(0, eq).trim(), entry.slice(eq + 1).trim());
  }
  return options;
}

/** The `sync-options` annotation of an object, parsed (§3). */
export function syncOptionsOf(obj: KubeObject | undefined): Map<string, string> {
  return parseOptions(csv(annotation(obj, ANNOTATION.syncOptions)));
}

/** The `compare-options` annotation of an object, parsed (`IgnoreExtraneous`, `ServerSideDiff=true`, …). */
export function compareOptionsOf(obj: KubeObject | undefined): Map<string, string> {
  return parseOptions(csv(annotation(obj, ANNOTATION.compareOptions)));
}
