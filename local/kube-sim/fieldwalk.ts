/**
 * Walking objects alongside their schema to build field sets: the fields an applied configuration
 * sets (what its manager will own) and the fields one write changed (what an update manager takes).
 * List items are addressed the SSA way (by map keys, by value for sets, atomic lists as a leaf).
 */
import { FieldSet } from './fieldset.ts';
import type { ListInfo, Schema } from './schema.ts';
import { fieldOf, isAtomicMap, itemsOf, keyDefault, listInfo } from './schema.ts';

export type Cursor = Schema | undefined;

export function isMap(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The schema of a field; undefined when unknown or undescribed (list merging then uses the fallbacks). */
export function childCursor(c: Cursor, name: string): Cursor {
  if (!c) return undefined;
  const f = fieldOf(c, name);
  return f === 'any' ? undefined : f;
}

export function itemCursor(c: Cursor): Cursor {
  return c ? itemsOf(c) : undefined;
}

/** The path element of a list item: `k:{…}` for map lists, `v:…` for sets, `i:<n>` otherwise. */
export function itemElement(item: unknown, index: number, info: ListInfo, items: Cursor): string {
  if (info.type === 'set') return `v:${JSON.stringify(item)}`;
  if (info.type === 'map' && isMap(item)) {
    const keys: Record<string, unknown> = {};
    for (const key of [...info.keys].sort()) {
      const value = item[key] ?? keyDefault(items, key);
      if (value !== undefined) keys[key] = value;
    }
    if (Object.keys(keys).length) return `k:${JSON.stringify(keys)}`;
  }
  return `i:${index}`;
}

/** Items of a list by path element (first occurrence wins). */
export function itemsByElement(list: unknown[], info: ListInfo, items: Cursor): Map<string, unknown> {
  const out = new Map<string, unknown>();
  list.forEach((item, i) => {
    const element = itemElement(item, i, info, items);
    if (!out.has(element)) out.set(element, item);
  });
  return out;
}

/**
 * The fields a value sets. With `maps`, every map is itself a member too (how an update records the
 * maps it created); without, only leaves and list items are (how an apply records its fields).
 */
export function setOf(value: unknown, c: Cursor, maps: boolean, out = new FieldSet(), path: string[] = []): FieldSet {
  if (isMap(value) && !isAtomicMap(c)) {
    // Top-level fields (metadata, spec) are never owned as a whole; an added map is (as Kubernetes
    // records it) unless the schema says it is a struct; an empty map is owned as a leaf.
    const struct = Boolean(c?.node.properties) && !c?.node.additionalProperties;
    if (path.length > 1 && (Object.keys(value).length === 0 || (maps && !struct))) out.insert(path);
    for (const [key, child] of Object.entries(value)) setOf(child, childCursor(c, key), maps, out, [...path, `f:${key}`]);
    return out;
  }
  if (Array.isArray(value)) {
    const info = listInfo(c, lastField(path), value);
    if (info.type === 'atomic') {
      out.insert(path);
      return out;
    }
    if (maps && !value.length) out.insert(path);
    const items = itemCursor(c);
    for (const [element, item] of itemsByElement(value, info, items)) {
      out.insert([...path, element]);
      if (info.type === 'map') setOf(item, items, maps, out, [...path, element]);
    }
    return out;
  }
  if (path.length) out.insert(path);
  return out;
}

export interface Comparison {
  /** Added or modified paths (added maps and list items included as members). */
  changed: FieldSet;
  /** Paths present before and gone now. */
  removed: FieldSet;
}

/** What changed between two versions of an object. */
export function compare(before: unknown, after: unknown, c: Cursor): Comparison {
  const result = { changed: new FieldSet(), removed: new FieldSet() };
  walkCompare(before, after, c, [], result);
  return result;
}

function walkCompare(a: unknown, b: unknown, c: Cursor, path: string[], r: Comparison): void {
  if (a === b) return;
  // Most writes change one corner of an object: skip equal top-level subtrees without walking them.
  if (path.length <= 2 && typeof a === 'object' && deepEqual(a, b)) return;
  if (b === undefined) {
    r.removed.insert(path);
    return;
  }
  if (a === undefined) {
    setOf(b, c, true, r.changed, path);
    return;
  }
  if (isMap(a) && isMap(b) && !isAtomicMap(c)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      walkCompare(a[key], b[key], childCursor(c, key), [...path, `f:${key}`], r);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const info = listInfo(c, lastField(path), a.length ? a : b);
    if (info.type !== 'atomic') {
      compareLists(a, b, info, itemCursor(c), path, r);
      return;
    }
  }
  if (!deepEqual(a, b)) r.changed.insert(path);
}

function compareLists(a: unknown[], b: unknown[], info: ListInfo, items: Cursor, path: string[], r: Comparison): void {
  const before = itemsByElement(a, info, items);
  const after = itemsByElement(b, info, items);
  for (const [element, item] of after) {
    const old = before.get(element);
    if (old === undefined) {
      r.changed.insert([...path, element]);
      if (info.type === 'map') setOf(item, items, true, r.changed, [...path, element]);
    } else if (info.type === 'map') {
      walkCompare(old, item, items, [...path, element], r);
    }
  }
  for (const element of before.keys()) if (!after.has(element)) r.removed.insert([...path, element]);
}

function lastField(path: string[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (path[i].startsWith('f:')) return path[i].slice(2);
  return '';
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.hasOwn(b as object, k) && deepEqual((a as any)[k], (b as any)[k]));
}
