/**
 * Small readers shared by the health checks: they walk untyped Kubernetes objects without throwing,
 * so a check can read `status.conditions` of an object that has no status at all.
 */
import { isRecord } from '../model/object.ts';
import type { HealthStatus, HealthStatusCode } from './types.ts';

/** A JSON object. */
export type Json = Record<string, unknown>;

/** A Kubernetes status condition as the checks read it. */
export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}

/**
 * The value at a dotted path, or undefined when any step is missing or not an object.
 * @example field({ status: { phase: 'Bound' } }, 'status', 'phase') // 'Bound'
 */
export function field(obj: unknown, ...path: string[]): unknown {
  let at: unknown = obj;
  for (const step of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Json)[step];
  }
  return at;
}

/**
 * A number, or `fallback` when the value is not one (Go's zero value by default).
 * @example num(undefined) // 0
 */
export function num(value: unknown, fallback = 0): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

/**
 * A string, or "" when the value is not one.
 * @example str(3) // ''
 */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The objects of a list, ignoring anything that is not an object.
 * @example objects([{ a: 1 }, 'x', null]) // [{ a: 1 }]
 */
export function objects(value: unknown): Json[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord);
}

/**
 * Conditions read from a list (usually `status.conditions`), missing fields as "".
 * @example toConditions([{ type: 'Ready', status: 'True' }]) // [{ type: 'Ready', status: 'True', reason: '', message: '' }]
 */
export function toConditions(value: unknown): Condition[] {
  return objects(value).map((c) => ({
    type: str(c.type),
    status: str(c.status),
    reason: str(c.reason),
    message: str(c.message),
  }));
}

/**
 * `status.conditions` of an object.
 * @example conditionsOf({ status: {} }) // []
 */
export function conditionsOf(obj: unknown): Condition[] {
  return toConditions(field(obj, 'status', 'conditions'));
}

/**
 * The first condition of a type, if any.
 * @example findCondition(conditionsOf(job), 'Complete')?.status // 'True'
 */
export function findCondition(conditions: Condition[], type: string): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

/**
 * A health status, leaving the message out when it is empty.
 * @example health('Progressing', '') // { status: 'Progressing' }
 */
export function health(status: HealthStatusCode, message?: string): HealthStatus {
  return message ? { status, message } : { status };
}
