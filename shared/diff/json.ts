/** JSON helpers for the diff: deep copy, deep equality and a key-sorted encoding. */
import { isRecord } from '../model/object.ts';

/** A JSON object. */
export type Json = Record<string, unknown>;

/**
 * A deep copy of JSON data (objects from YAML or the API server hold nothing else).
 * @example clone({ a: [1] }) // { a: [1] }, a new object
 */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/**
 * JSON text with object keys sorted, so equal data always encodes the same.
 * @example canonical({ b: 1, a: 2 }) // '{"a":2,"b":1}'
 */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Deep equality of JSON data, ignoring object key order.
 * @example deepEqual({ a: 1, b: 2 }, { b: 2, a: 1 }) // true
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  return a === b || canonical(a) === canonical(b);
}
