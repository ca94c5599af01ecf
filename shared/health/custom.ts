/**
 * Custom health checks (SPEC-sync §4.1 step 2), the counterpart of Argo CD's
 * `resource.customizations.health.<group_kind>`. Keys are `group_kind` (`cert-manager.io_Certificate`),
 * `group/kind`, or the bare `Kind` for the core group; globs (`*`, `?`, …) are allowed in both parts. An exact
 * key wins over a wildcard one; among wildcards, the first in insertion order wins.
 */
import type { KubeObject } from '../model/object.ts';
import type { HealthStatus } from './types.ts';
import { globMatch } from '../model/glob.ts';

/**
 * A custom check. Returning null or undefined falls through to the built-in check; throwing makes the
 * object's health Unknown with the error's message.
 */
export type CustomHealthCheck = (obj: KubeObject) => HealthStatus | null | undefined;

/** Custom checks by key (see the module comment for the key forms). */
export type CustomHealthChecks = Readonly<Record<string, CustomHealthCheck>>;

/**
 * The group and kind a key names.
 * @example parseCheckKey('argoproj.io_Application') // { group: 'argoproj.io', kind: 'Application' }
 * @example parseCheckKey('ConfigMap') // { group: '', kind: 'ConfigMap' }
 */
export function parseCheckKey(key: string): { group: string; kind: string } {
  const slash = key.lastIndexOf('/');
  if (slash >= 0) return { group: key.slice(0, slash), kind: key.slice(slash + 1) };
  const underscore = key.lastIndexOf('_');
  if (underscore >= 0) return { group: key.slice(0, underscore), kind: key.slice(underscore + 1) };
  return { group: '', kind: key };
}

function isGlob(pattern: string): boolean {
  return /[*?[{]/.test(pattern);
}

function keyMatches(key: string, group: string, kind: string, exact: boolean): boolean {
  const parsed = parseCheckKey(key);
  if (exact) return parsed.group === group && parsed.kind === kind;
  return globMatch(parsed.group, group) && globMatch(parsed.kind, kind);
}

/**
 * The custom check that applies to a group/kind, if any.
 * @example findCustomCheck({ '*.example.com_*': check }, 'db.example.com', 'Database') // check
 */
export function findCustomCheck(checks: CustomHealthChecks, group: string, kind: string): CustomHealthCheck | undefined {
  const keys = Object.keys(checks);
  const exact = keys.find((k) => !isGlob(k) && keyMatches(k, group, kind, true));
  if (exact) return checks[exact];
  const wildcard = keys.find((k) => isGlob(k) && keyMatches(k, group, kind, false));
  return wildcard ? checks[wildcard] : undefined;
}
