/**
 * Patches that are not server-side apply: JSON merge patch (RFC 7386) and strategic merge patch,
 * which merges lists by their `x-kubernetes-patch-merge-key` when the schema says
 * `x-kubernetes-patch-strategy: merge`, and understands the directives kubectl sends
 * (`$patch: delete|replace|merge`, `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`).
 */
import { badRequest } from './errors.ts';
import type { Cursor } from './fieldwalk.ts';
import { childCursor, deepEqual, isMap, itemCursor } from './fieldwalk.ts';
import { listInfo } from './schema.ts';

/** RFC 7386: null deletes, objects merge, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** Strategic merge patch of one map. Returns undefined when the patch deletes the whole value. */
export function strategicMerge(original: unknown, patch: unknown, c: Cursor): unknown {
  if (!isMap(patch)) return structuredClone(patch);
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  const { $patch: _p, ...body } = patch;
  if (directive === 'replace') return stripDirectives(body);
  const out: Record<string, unknown> = isMap(original) ? { ...original } : {};
  const retain = body.$retainKeys;
  for (const [key, value] of Object.entries(body)) {
    if (key === '$retainKeys' || key.startsWith('$setElementOrder/')) continue;
    if (key.startsWith('$') && !key.startsWith('$deleteFromPrimitiveList/')) continue;
    if (key.startsWith('$deleteFromPrimitiveList/')) {
      const field = key.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(value)) out[field] = (out[field] as unknown[]).filter((x) => !value.includes(x));
      continue;
    }
    mergeField(out, key, value, childCursor(c, key));
  }
  if (Array.isArray(retain)) for (const key of Object.keys(out)) if (!retain.includes(key)) delete out[key];
  for (const key of Object.keys(body).filter((k) => k.startsWith('$setElementOrder/'))) {
    const field = key.slice('$setElementOrder/'.length);
    if (Array.isArray(out[field])) out[field] = reorder(out[field] as unknown[], body[key] as unknown[], listInfo(childCursor(c, field), field, out[field] as unknown[]).mergeKey);
  }
  return out;
}

function mergeField(out: Record<string, unknown>, key: string, value: unknown, c: Cursor): void {
  if (value === null) {
    delete out[key];
    return;
  }
  if (Array.isArray(value)) {
    out[key] = mergeList(Array.isArray(out[key]) ? (out[key] as unknown[]) : [], value, c, key);
    return;
  }
  if (isMap(value)) {
    const merged = strategicMerge(out[key], value, c);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
    return;
  }
  out[key] = value;
}

function mergeList(original: unknown[], patch: unknown[], c: Cursor, field: string): unknown[] {
  const info = listInfo(c, field, [...original, ...patch]);
  if (patch.some((item) => isMap(item) && item.$patch === 'replace')) {
    return stripDirectives(patch.filter((item) => !(isMap(item) && item.$patch === 'replace'))) as unknown[];
  }
  if (!info.merges) return stripDirectives(patch) as unknown[];
  if (!info.mergeKey) {
    const out = [...original];
    for (const item of patch) if (!out.some((x) => deepEqual(x, item))) out.push(item);
    return out;
  }
  const key = info.mergeKey;
  const out = [...original];
  for (const item of patch) {
    if (!isMap(item)) throw badRequest(`strategic merge patch: item of list "${field}" is not an object`);
    const at = out.findIndex((x) => isMap(x) && deepEqual(x[key], item[key]));
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    const merged = strategicMerge(at >= 0 ? out[at] : {}, item, itemCursor(c));
    if (at >= 0) out[at] = merged;
    else out.push(merged);
  }
  return out;
}

/** Orders a merged list as `$setElementOrder` says; items it does not name keep their place at the end. */
function reorder(list: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const keyOf = (x: unknown) => JSON.stringify(mergeKey && isMap(x) ? x[mergeKey] : x);
  const rank = new Map(order.map((x, i) => [keyOf(x), i]));
  return [...list].sort((a, b) => (rank.get(keyOf(a)) ?? order.length) - (rank.get(keyOf(b)) ?? order.length));
}

function stripDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isMap(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (!key.startsWith('$')) out[key] = stripDirectives(child);
  return out;
}
