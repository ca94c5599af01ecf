/**
 * The field-level changes between predicted live and live, as JSON-pointer paths: what applying the
 * desired state would do to the cluster. Lists compare by index.
 */
import { isRecord } from '../model/object.ts';
import { deepEqual } from './json.ts';
import { formatPointer } from './pointer.ts';

/**
 * One change. `add`: only predicted live has the path (the apply would add it); `remove`: only live
 * has it; `replace`: both, with different values.
 */
export interface Change {
  path: string;
  op: 'add' | 'remove' | 'replace';
  /** The value in predicted live (absent for `remove`). */
  predicted?: unknown;
  /** The value live (absent for `add`). */
  live?: unknown;
}

function walk(predicted: unknown, live: unknown, path: Array<string | number>, out: Change[]): void {
  if (deepEqual(predicted, live)) return;
  if (isRecord(predicted) && isRecord(live)) {
    const keys = [...new Set([...Object.keys(live), ...Object.keys(predicted)])].sort();
    for (const key of keys) visit(predicted[key], live[key], [...path, key], out);
    return;
  }
  if (Array.isArray(predicted) && Array.isArray(live)) {
    for (let i = 0; i < Math.max(predicted.length, live.length); i++) {
      visit(i < predicted.length ? predicted[i] : undefined, i < live.length ? live[i] : undefined, [...path, i], out);
    }
    return;
  }
  out.push({ path: formatPointer(path), op: 'replace', predicted, live });
}

function visit(predicted: unknown, live: unknown, path: Array<string | number>, out: Change[]): void {
  if (predicted === undefined && live === undefined) return;
  if (live === undefined) out.push({ path: formatPointer(path), op: 'add', predicted });
  else if (predicted === undefined) out.push({ path: formatPointer(path), op: 'remove', live });
  else walk(predicted, live, path, out);
}

/**
 * Every differing leaf path between two JSON values, in a stable order.
 * @example changesBetween({ spec: { replicas: 3 } }, { spec: { replicas: 2 } }) // [{ path: '/spec/replicas', op: 'replace', predicted: 3, live: 2 }]
 */
export function changesBetween(predicted: unknown, live: unknown): Change[] {
  const out: Change[] = [];
  visit(predicted, live, [], out);
  return out;
}
