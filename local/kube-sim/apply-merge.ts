/**
 * The value side of server-side apply: merging an applied configuration into a live object (maps
 * field by field, map lists item by key, sets by value, atomic lists and scalars replaced) and
 * removing the fields a manager gave up.
 */
import type { Cursor } from './fieldwalk.ts';
import { childCursor, isMap, itemCursor, itemElement, itemsByElement } from './fieldwalk.ts';
import { isAtomicMap, listInfo } from './schema.ts';

/** The live value with the applied one merged in (neither input is changed). */
export function applyMerge(live: unknown, applied: unknown, c: Cursor, field = ''): unknown {
  if (isMap(live) && isMap(applied) && !isAtomicMap(c)) {
    const out: Record<string, unknown> = { ...live };
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) delete out[key];
      else out[key] = applyMerge(live[key], value, childCursor(c, key), key);
    }
    return out;
  }
  if (Array.isArray(live) && Array.isArray(applied)) {
    const info = listInfo(c, field, [...live, ...applied]);
    if (info.type !== 'atomic') {
      const items = itemCursor(c);
      const merged = itemsByElement(live, info, items);
      for (const [element, item] of itemsByElement(applied, info, items)) {
        const old = merged.get(element);
        merged.set(element, info.type === 'map' && old !== undefined ? applyMerge(old, item, items) : structuredClone(item));
      }
      return [...merged.values()];
    }
  }
  return structuredClone(applied);
}

/** Removes each path (field, map-list item, set item) from an object, in place. */
export function removePaths(obj: Record<string, unknown>, paths: string[][], c: Cursor): void {
  // Deepest first, so removing an item does not shift the paths under another one.
  for (const path of [...paths].sort((a, b) => b.length - a.length)) removePath(obj, path, c);
}

function removePath(root: Record<string, unknown>, path: string[], rootCursor: Cursor): void {
  const trail: Array<{ container: any; element: string }> = [];
  let value: any = root;
  let c = rootCursor;
  let field = '';
  for (const element of path) {
    trail.push({ container: value, element });
    if (element.startsWith('f:')) {
      if (!isMap(value)) return;
      field = element.slice(2);
      value = value[field];
      c = childCursor(c, field);
    } else {
      if (!Array.isArray(value)) return;
      const index = findItem(value, element, c, field);
      if (index < 0) return;
      value = value[index];
      c = itemCursor(c);
    }
  }
  deleteAt(trail, rootCursor);
}

function findItem(list: unknown[], element: string, c: Cursor, field: string): number {
  const info = listInfo(c, field, list);
  const items = itemCursor(c);
  return list.findIndex((item, i) => itemElement(item, i, info, items) === element);
}

/** Deletes the last step of a trail, then drops maps the deletion left empty. */
function deleteAt(trail: Array<{ container: any; element: string }>, c: Cursor): void {
  for (let depth = trail.length - 1; depth >= 0; depth--) {
    const { container, element } = trail[depth];
    if (element.startsWith('f:')) delete container[element.slice(2)];
    else {
      const index = findItem(container, element, walkTo(trail, depth, c), fieldBefore(trail, depth));
      if (index >= 0) container.splice(index, 1);
    }
    // A map emptied by the removal goes too, but never a top-level field such as metadata or spec.
    const parent = depth > 1 ? trail[depth - 1] : undefined;
    const emptied = isMap(container) && Object.keys(container).length === 0;
    if (!parent || !emptied || !parent.element.startsWith('f:')) return;
  }
}

/** The schema cursor of the container at a depth of the trail. */
function walkTo(trail: Array<{ element: string }>, depth: number, c: Cursor): Cursor {
  let cursor = c;
  for (const { element } of trail.slice(0, depth)) cursor = element.startsWith('f:') ? childCursor(cursor, element.slice(2)) : itemCursor(cursor);
  return cursor;
}

function fieldBefore(trail: Array<{ element: string }>, depth: number): string {
  for (let i = depth - 1; i >= 0; i--) if (trail[i].element.startsWith('f:')) return trail[i].element.slice(2);
  return '';
}
