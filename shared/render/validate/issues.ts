/**
 * ajv's errors as a person reads them: the field path as written in YAML
 * (`spec.template.spec.containers[0].imagePullPolicyy`), what is wrong, and how to fix it. The
 * errors of the branches of a oneOf/anyOf (int-or-string, quantities) are folded into one.
 */
import type { ErrorObject } from 'ajv';
import { unescapeToken } from '../../diff/pointer.ts';

export interface SchemaIssue {
  /** Dotted path from the object root, array items as `[i]`; "" for the object itself. */
  field: string;
  message: string;
  fix: string;
}

/** Issues of one validation, one per problem, in ajv's order. */
export function describeErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  const alternatives = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf') alternatives.set(error.instancePath, []);
  }
  for (const error of errors) {
    const types = alternatives.get(error.instancePath);
    if (types && error.keyword === 'type') types.push(String(error.params.type));
  }
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (alternatives.has(error.instancePath) && error.keyword !== 'oneOf' && error.keyword !== 'anyOf') continue;
    const issue = describe(error, alternatives.get(error.instancePath) ?? []);
    const key = `${issue.field}\n${issue.message}`;
    if (!seen.has(key)) issues.push(issue);
    seen.add(key);
  }
  return issues;
}

function describe(error: ErrorObject, alternativeTypes: string[]): SchemaIssue {
  const field = fieldPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const child = join(field, String(params.additionalProperty));
      return { field: child, message: 'unknown field', fix: `remove ${child} or correct its spelling (kubectl explain shows the fields)` };
    }
    case 'required': {
      const child = join(field, String(params.missingProperty));
      return { field: child, message: 'required field is missing', fix: `add ${child}` };
    }
    case 'type':
      return { field, message: `must be ${article(String(params.type))}`, fix: params.type === 'string' ? 'quote the value' : `use ${article(String(params.type))}` };
    case 'enum':
      return { field, message: `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`, fix: 'use one of the allowed values' };
    case 'oneOf':
    case 'anyOf': {
      const types = [...new Set(alternativeTypes)];
      const expected = types.length > 0 ? types.map(article).join(' or ') : 'one of the allowed forms';
      return { field, message: `must be ${expected}`, fix: `use ${expected}` };
    }
    case 'format':
      return { field, message: `is not a valid ${String(params.format)}`, fix: `write a valid ${String(params.format)}` };
    default:
      return { field, message: error.message ?? 'is invalid', fix: 'correct the value' };
  }
}

/** `/spec/containers/0/name` → `spec.containers[0].name`. */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map(unescapeToken)
    .reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : join(path, segment)), '');
}

function join(path: string, segment: string): string {
  return path === '' ? segment : `${path}.${segment}`;
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}
