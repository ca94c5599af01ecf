/**
 * Fields Argo CD has and gitwave refuses. They are taken out of the document before schema
 * validation and reported with their own message (`spec.source.helm: Helm sources are not supported
 * yet`) rather than zod's generic "unknown field".
 */
import { isRecord } from './object.ts';
import type { ModelIssue } from './model-error.ts';
import type { SourceDocument } from './yaml-doc.ts';

export interface UnsupportedField {
  path: string[];
  message: string;
  /** Refuse only when this holds for the value (default: whenever the field is present). */
  when?: (value: unknown) => boolean;
}

/** A copy of `value` without the unsupported fields, and one issue per refused field. */
export function withoutUnsupported(
  value: Record<string, unknown>, rules: readonly UnsupportedField[], doc?: SourceDocument,
): { rest: Record<string, unknown>; issues: ModelIssue[] } {
  const rest = structuredClone(value);
  const issues: ModelIssue[] = [];
  for (const rule of rules) {
    const parent = getPath(rest, rule.path.slice(0, -1));
    const key = rule.path[rule.path.length - 1];
    if (!isRecord(parent) || !(key in parent)) continue;
    if (!rule.when || rule.when(parent[key])) issues.push(issueAt(rule.path, rule.message, doc));
    delete parent[key];
  }
  return { rest, issues };
}

/** An issue at a path, with its line when the document came from YAML. */
export function issueAt(path: string[], message: string, doc?: SourceDocument): ModelIssue {
  const line = doc?.lineOf(path);
  return { field: path.join('.'), message, ...(line === undefined ? {} : { line }) };
}

export function hasPath(value: unknown, path: string[]): boolean {
  const parent = getPath(value, path.slice(0, -1));
  return isRecord(parent) && path[path.length - 1] in parent;
}

function getPath(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) current = isRecord(current) ? current[key] : undefined;
  return current;
}

/** `null`, `{}`, `[]`, or blocks holding only such: written by exporters, meaning nothing. */
export function isEmptyBlock(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return isRecord(value) && Object.values(value).every(isEmptyBlock);
}

/** The `status` of an object exported from a cluster is not user intent. */
export const STATUS_FIELD: UnsupportedField = {
  path: ['status'], message: 'status is written by gitwave, not read from manifests; remove it',
};
