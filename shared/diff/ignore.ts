/**
 * `spec.ignoreDifferences` (SPEC-sync §5.4): entries matched by group/kind globs and exact
 * name/namespace; their JSON pointers and their managers' fields are deleted from both sides.
 * jq path expressions are refused for now, with an error naming the entry, rather than ignored.
 */
import { groupOf, type KubeObject } from '../model/object.ts';
import { globMatch } from '../model/glob.ts';
import { DiffConfigError } from './errors.ts';
import { ownedFieldTrees, removeOwnedFields } from './fields-v1.ts';
import type { Json } from './json.ts';
import { parsePointer, removeAt } from './pointer.ts';

/** One `ignoreDifferences` entry, as in an Argo CD Application (or a system-level customization). */
export interface IgnoreDifference {
  group?: string;
  kind: string;
  name?: string;
  namespace?: string;
  jsonPointers?: string[];
  jqPathExpressions?: string[];
  managedFieldsManagers?: string[];
}

function where(entry: IgnoreDifference, index: number): string {
  return `ignoreDifferences[${index}] (${entry.group ?? ''}/${String(entry.kind)})`;
}

function checkStrings(entry: IgnoreDifference, index: number, field: 'jsonPointers' | 'managedFieldsManagers'): void {
  const list = entry[field];
  if (list !== undefined && (!Array.isArray(list) || list.some((v) => typeof v !== 'string'))) {
    throw new DiffConfigError(`${where(entry, index)}: ${field} must be a list of strings`);
  }
}

/**
 * Checks every entry, throwing a {@link DiffConfigError} that names the first bad one.
 * @example validateIgnoreDifferences([{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.x'] }]) // throws
 */
export function validateIgnoreDifferences(entries: readonly IgnoreDifference[]): void {
  entries.forEach((entry, index) => {
    if (typeof entry?.kind !== 'string' || entry.kind === '') {
      throw new DiffConfigError(`ignoreDifferences[${index}]: kind is required`);
    }
    if (entry.jqPathExpressions !== undefined && entry.jqPathExpressions.length > 0) {
      throw new DiffConfigError(`${where(entry, index)}: jqPathExpressions are not supported yet; use jsonPointers or managedFieldsManagers`);
    }
    checkStrings(entry, index, 'jsonPointers');
    checkStrings(entry, index, 'managedFieldsManagers');
    (entry.jsonPointers ?? []).forEach((pointer, p) => {
      const parsed = parsePointer(pointer);
      if (!Array.isArray(parsed)) throw new DiffConfigError(`${where(entry, index)}.jsonPointers[${p}]: ${parsed.error}`);
    });
  });
}

/**
 * Whether an entry applies to an object.
 * @example ignoreMatches({ group: '*', kind: 'Deployment' }, deployment) // true
 */
export function ignoreMatches(entry: IgnoreDifference, obj: KubeObject): boolean {
  const meta = obj.metadata ?? {};
  return globMatch(entry.group ?? '', groupOf(obj.apiVersion))
    && globMatch(entry.kind, obj.kind)
    && (!entry.name || entry.name === meta.name)
    && (!entry.namespace || entry.namespace === (meta.namespace ?? ''));
}

/** The deletions the matching entries call for, gathered before normalisation drops managedFields. */
export interface IgnorePlan {
  pointers: string[][];
  ownedTrees: Json[];
}

/**
 * What to delete from both sides of one object's diff. `live` supplies the managedFields.
 * @example planIgnores(entries, desired, live) // { pointers: [['spec', 'replicas']], ownedTrees: [] }
 */
export function planIgnores(entries: readonly IgnoreDifference[], subject: KubeObject, live: KubeObject | null): IgnorePlan {
  const matching = entries.filter((e) => ignoreMatches(e, subject));
  const pointers = matching.flatMap((e) => (e.jsonPointers ?? []).map((p) => parsePointer(p) as string[]));
  const managers = matching.flatMap((e) => e.managedFieldsManagers ?? []);
  return { pointers, ownedTrees: managers.length > 0 ? ownedFieldTrees(live, managers) : [] };
}

/**
 * Deletes the planned paths from an object, in place.
 * @example applyIgnores(normalizedLive, plan)
 */
export function applyIgnores(obj: KubeObject | null, plan: IgnorePlan): void {
  if (!obj) return;
  for (const tree of plan.ownedTrees) removeOwnedFields(obj, tree);
  for (const tokens of plan.pointers) removeAt(obj, tokens);
}
