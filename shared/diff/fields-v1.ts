/**
 * Removing the fields a manager owns, read from `metadata.managedFields[].fieldsV1` (SPEC-sync §5.4
 * `managedFieldsManagers`). The fieldsV1 tree names map fields `f:<name>`, list items by key
 * `k:{json}`, by value `v:<json>` or by index `i:<n>`; a node that is empty or holds `.` is owned
 * itself, so the whole value goes (as structured-merge-diff removes set members).
 */
import { isRecord } from '../model/object.ts';
import { deepEqual, type Json } from './json.ts';

function isOwned(node: Json): boolean {
  return Object.keys(node).length === 0 || Object.hasOwn(node, '.');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (_err) {
    return undefined;
  }
}

function itemMatches(item: unknown, key: string): boolean {
  if (key.startsWith('k:')) {
    const fields = parseJson(key.slice(2));
    return isRecord(fields) && isRecord(item) && Object.entries(fields).every(([k, v]) => deepEqual(item[k], v));
  }
  if (key.startsWith('v:')) return deepEqual(item, parseJson(key.slice(2)));
  return false;
}

function removeFromList(list: unknown[], tree: Json): void {
  const doomed = new Set<number>();
  for (const [key, node] of Object.entries(tree)) {
    if (key === '.' || !isRecord(node)) continue;
    const indices = key.startsWith('i:')
      ? [Number(key.slice(2))].filter((i) => Number.isInteger(i) && i >= 0 && i < list.length)
      : list.flatMap((item, i) => (itemMatches(item, key) ? [i] : []));
    for (const i of indices) {
      if (isOwned(node)) doomed.add(i);
      else removeOwnedFields(list[i], node);
    }
  }
  [...doomed].sort((a, b) => b - a).forEach((i) => list.splice(i, 1));
}

function removeFromMap(map: Json, tree: Json): void {
  for (const [key, node] of Object.entries(tree)) {
    if (!key.startsWith('f:') || !isRecord(node)) continue;
    const name = key.slice(2);
    if (!Object.hasOwn(map, name)) continue;
    if (isOwned(node)) delete map[name];
    else removeOwnedFields(map[name], node);
  }
}

/**
 * Deletes, in place, every field of `target` that the fieldsV1 tree owns.
 * @example removeOwnedFields(obj, { 'f:spec': { 'f:replicas': {} } }) // obj.spec.replicas is gone
 */
export function removeOwnedFields(target: unknown, tree: Json): void {
  if (Array.isArray(target)) removeFromList(target, tree);
  else if (isRecord(target)) removeFromMap(target, tree);
}

/**
 * The fieldsV1 trees of the given managers in an object's managedFields.
 * @example ownedFieldTrees(live, ['kube-controller-manager']) // [{ 'f:spec': { 'f:replicas': {} } }]
 */
export function ownedFieldTrees(obj: { metadata?: { managedFields?: unknown } } | null, managers: readonly string[]): Json[] {
  const entries = Array.isArray(obj?.metadata?.managedFields) ? obj.metadata.managedFields : [];
  return entries
    .filter((e): e is Json => isRecord(e) && managers.includes(String(e.manager)) && isRecord(e.fieldsV1))
    .map((e) => e.fieldsV1 as Json);
}
