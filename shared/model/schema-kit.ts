/**
 * Building blocks shared by the Application, AppProject and Cluster schemas (zod 4), and the one
 * place where zod's issues become gitwave's lowercase, field-named ModelIssues.
 */
import * as z from 'zod';
import type { ModelIssue } from './model-error.ts';
import { isRecord } from './object.ts';
import type { SourceDocument } from './yaml-doc.ts';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A Kubernetes object name (DNS-1123 subdomain, ≤ 253 characters). */
export const objectName = z.string().max(253, 'must be at most 253 characters')
  .regex(DNS_SUBDOMAIN, 'must be a lowercase DNS-1123 name (a-z, 0-9, "-", ".")');

/** A namespace name (DNS-1123 label, ≤ 63 characters). */
export const namespaceName = z.string().max(63, 'must be at most 63 characters')
  .regex(DNS_LABEL, 'must be a lowercase DNS-1123 label (a-z, 0-9, "-")');

export const nonEmpty = z.string().min(1, 'must not be empty');
export const stringMap = z.record(z.string(), z.string());
export const stringList = z.array(z.string());

/** Metadata as users write it for gitwave's own documents: no server-populated fields. */
export const userMetadata = z.strictObject({
  name: objectName,
  namespace: namespaceName.optional(),
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
  finalizers: stringList.default([]),
});

/** `Kind/name` for messages, from whatever the document holds. */
export function objectLabel(value: unknown, fallbackKind: string): string {
  const doc = isRecord(value) ? value : {};
  const kind = typeof doc.kind === 'string' && doc.kind !== '' ? doc.kind : fallbackKind;
  const name = isRecord(doc.metadata) && typeof doc.metadata.name === 'string' ? doc.metadata.name : '';
  return name === '' ? kind : `${kind}/${name}`;
}

/** `spec.source.kustomize.images[0]` from a zod path. */
export function fieldPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * zod issues → ModelIssues. Unknown keys become one issue per key (`<path>.<key>: unknown field`),
 * with the line of the key when `doc` is given.
 */
export function toModelIssues(issues: readonly z.core.$ZodIssue[], doc?: SourceDocument): ModelIssue[] {
  const out: ModelIssue[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(withLine({ path: [...issue.path, key], message: 'unknown field' }, doc));
    } else {
      out.push(withLine({ path: issue.path, message: describeZodIssue(issue) }, doc));
    }
  }
  return out;
}

function withLine(issue: { path: PropertyKey[]; message: string }, doc?: SourceDocument): ModelIssue {
  const line = doc?.lineOf(issue.path.filter((p): p is string | number => typeof p !== 'symbol'));
  return { field: fieldPath(issue.path), message: issue.message, ...(line === undefined ? {} : { line }) };
}

function describeZodIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const got = typeName(issue.input);
    if (got === 'undefined') return 'required';
    const hint = issue.expected === 'string' && (got === 'number' || got === 'boolean') ? ' (quote the value)' : '';
    return `expected ${issue.expected}, got ${got}${hint}`;
  }
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${issue.minimum}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${issue.maximum}`;
  if (issue.code === 'custom') return issue.message; // ours, already in house style
  return issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Records a custom issue at a path relative to the refined value. */
export function addIssue(ctx: z.RefinementCtx, path: PropertyKey[], message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}
