/**
 * Fields Kubernetes refuses to change after creation (422 "field is immutable"): workload selectors,
 * a Job's pod template, a Service's cluster IP, the data of an `immutable: true` ConfigMap or Secret.
 * These are the 422s a sync meets in practice (SECURITY.md §6), so the simulator reproduces them.
 */
import type { StatusCause } from './errors.ts';
import { deepEqual } from './fieldwalk.ts';
import type { ResourceType } from './registry.ts';
import type { Obj } from './store.ts';

function immutable(field: string, value: unknown): StatusCause {
  return { reason: 'FieldValueInvalid', field, message: `Invalid value: ${JSON.stringify(value)}: field is immutable` };
}

function changed(before: Obj, after: Obj, path: string[]): boolean {
  const read = (o: Obj) => path.reduce<any>((node, key) => node?.[key], o);
  return !deepEqual(read(before), read(after));
}

const RULES: Record<string, (before: Obj, after: Obj) => StatusCause[]> = {
  'apps/Deployment': selector,
  'apps/ReplicaSet': selector,
  'apps/StatefulSet': selector,
  'apps/DaemonSet': selector,
  'batch/Job': (b, a) => [
    ...selector(b, a),
    ...(changed(b, a, ['spec', 'template']) ? [immutable('spec.template', a.spec?.template)] : []),
  ],
  '/Service': (b, a) => {
    const was = b.spec?.clusterIP;
    const now = a.spec?.clusterIP;
    return was && now !== undefined && was !== now ? [{ reason: 'FieldValueInvalid', field: 'spec.clusterIPs[0]', message: `Invalid value: ${JSON.stringify([now])}: may not change once set` }] : [];
  },
  '/ConfigMap': immutableData,
  '/Secret': immutableData,
};

function selector(before: Obj, after: Obj): StatusCause[] {
  return changed(before, after, ['spec', 'selector']) ? [immutable('spec.selector', after.spec?.selector)] : [];
}

function immutableData(before: Obj, after: Obj): StatusCause[] {
  if (before.immutable !== true) return [];
  const out: StatusCause[] = [];
  if (changed(before, after, ['data']) || changed(before, after, ['binaryData'])) out.push({ reason: 'FieldValueForbidden', field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' });
  if (after.immutable !== true) out.push({ reason: 'FieldValueForbidden', field: 'immutable', message: 'Forbidden: field is immutable when `immutable` is set' });
  return out;
}

/** The immutability errors of an update from `before` to `after`. */
export function immutabilityErrors(r: ResourceType, before: Obj, after: Obj): StatusCause[] {
  return RULES[`${r.group}/${r.kind}`]?.(before, after) ?? [];
}
