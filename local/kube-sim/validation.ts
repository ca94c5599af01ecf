/**
 * Schema checks against the OpenAPI v3 documents: unknown fields (pruned, and with
 * `fieldValidation=Strict` an error naming each one), wrong types and missing required fields
 * (always errors). Kinds without a schema are not checked; the simulator says so at start-up.
 */
import type { StatusCause } from './errors.ts';
import type { Cursor } from './fieldwalk.ts';
import { isMap } from './fieldwalk.ts';
import type { Schema } from './schema.ts';
import { fieldOf, itemsOf } from './schema.ts';

const SERVER_FIELDS = new Set(['apiVersion', 'kind']);

/**
 * Removes the fields the schema does not declare, in place, and returns their paths
 * (`spec.template.spec.containers[0].imagee`).
 */
export function pruneUnknown(obj: Record<string, unknown>, c: Cursor): string[] {
  const out: string[] = [];
  if (c) walkUnknown(obj, c, '', out, true);
  return out;
}

function walkUnknown(value: unknown, s: Schema, path: string, out: string[], root = false): void {
  if (Array.isArray(value)) {
    const items = itemsOf(s);
    if (items) value.forEach((item, i) => walkUnknown(item, items, `${path}[${i}]`, out));
    return;
  }
  if (!isMap(value)) return;
  for (const key of Object.keys(value)) {
    if (root && SERVER_FIELDS.has(key)) continue;
    const field = fieldOf(s, key);
    const at = path ? `${path}.${key}` : key;
    if (field === undefined) {
      out.push(at);
      delete value[key];
    } else if (field !== 'any') walkUnknown(value[key], field, at, out);
  }
}

/** Type and required-field errors of a finished object (its status is the controllers' business). */
export function schemaErrors(obj: Record<string, unknown>, c: Cursor): StatusCause[] {
  const out: StatusCause[] = [];
  if (!c) return out;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'status' || SERVER_FIELDS.has(key) || key === 'metadata') continue;
    const field = fieldOf(c, key);
    if (field && field !== 'any') walkTypes(value, field, key, out);
  }
  return out;
}

function walkTypes(value: unknown, s: Schema, path: string, out: StatusCause[]): void {
  const typeError = wrongType(value, s.node);
  if (typeError) {
    out.push({ reason: 'FieldValueTypeInvalid', field: path, message: `Invalid value: ${JSON.stringify(typeError)}: ${path} in body must be of type ${s.node.type}: ${JSON.stringify(typeError)}` });
    return;
  }
  if (Array.isArray(value)) {
    const items = itemsOf(s);
    if (items) value.forEach((item, i) => walkTypes(item, items, `${path}[${i}]`, out));
    return;
  }
  if (!isMap(value)) return;
  for (const name of s.node.required ?? []) {
    if (value[name] === undefined) out.push({ reason: 'FieldValueRequired', field: `${path}.${name}`, message: 'Required value' });
  }
  for (const [key, child] of Object.entries(value)) {
    const field = fieldOf(s, key);
    if (field && field !== 'any') walkTypes(child, field, `${path}.${key}`, out);
  }
}

/** The JSON type name of a value that does not match the schema's type, else undefined. */
function wrongType(value: unknown, node: Record<string, any>): string | undefined {
  if (value === null || value === undefined || !node.type) return undefined;
  if (node['x-kubernetes-int-or-string'] || node.format === 'int-or-string') return undefined;
  const actual = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : typeof value;
  const ok: Record<string, boolean> = {
    integer: typeof value === 'number' && Number.isInteger(value),
    number: typeof value === 'number',
    string: typeof value === 'string',
    boolean: typeof value === 'boolean',
    object: actual === 'object',
    array: actual === 'array',
  };
  return ok[node.type] === false ? actual : undefined;
}
