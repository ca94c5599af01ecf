/**
 * Label selectors (`a=b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`) and field selectors
 * (`metadata.name=x`, `status.phase!=Running`, …) as list and watch accept them. Field selectors are
 * limited, as in Kubernetes, to the fields each kind indexes; others are a 400.
 */
import { badRequest } from './errors.ts';
import type { ResourceType } from './registry.ts';
import type { Obj } from './store.ts';

export type Matcher = (obj: Obj) => boolean;

/** Splits on commas that are not inside parentheses. */
function terms(selector: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(current.trim());
      current = '';
    } else current += ch;
  }
  if (current.trim()) out.push(current.trim());
  return out.filter(Boolean);
}

function labelTerm(term: string): Matcher {
  const set = /^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$/.exec(term);
  if (set) {
    const [, key, op, list] = set;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in' ? (o) => values.includes(o.metadata.labels?.[key]) : (o) => !values.includes(o.metadata.labels?.[key]);
  }
  const cmp = /^([^\s!=]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (cmp) {
    const [, key, op, value] = cmp;
    return op === '!=' ? (o) => o.metadata.labels?.[key] !== value : (o) => o.metadata.labels?.[key] === value;
  }
  const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
  if (exists) {
    const [, not, key] = exists;
    return not ? (o) => o.metadata.labels?.[key] === undefined : (o) => o.metadata.labels?.[key] !== undefined;
  }
  throw badRequest(`unable to parse requirement: invalid label selector term "${term}"`);
}

export function labelSelector(selector: string | null | undefined): Matcher {
  if (!selector) return () => true;
  const matchers = terms(selector).map(labelTerm);
  return (o) => matchers.every((m) => m(o));
}

/** Fields every kind can be selected by, and the extra ones per kind (as the real indexers offer). */
const COMMON_FIELDS = ['metadata.name', 'metadata.namespace'];
const KIND_FIELDS: Record<string, string[]> = {
  '/Pod': ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.podIP', 'status.nominatedNodeName', 'spec.hostNetwork'],
  '/Secret': ['type'],
  '/Namespace': ['status.phase'],
  '/Node': ['spec.unschedulable'],
  '/Event': ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
  '/PersistentVolumeClaim': ['status.phase'],
  '/ReplicationController': ['status.replicas'],
  'apps/ReplicaSet': ['status.replicas'],
  'batch/Job': ['status.successful'],
  '/Service': ['spec.clusterIP', 'spec.type'],
};

function fieldValue(obj: Obj, path: string): string {
  const value = path.split('.').reduce<any>((node, key) => node?.[key], obj);
  return value === undefined || value === null ? '' : String(value);
}

export function fieldSelector(selector: string | null | undefined, r: ResourceType): Matcher {
  if (!selector) return () => true;
  const allowed = [...COMMON_FIELDS, ...(KIND_FIELDS[`${r.group}/${r.kind}`] ?? [])];
  const matchers = terms(selector).map((term): Matcher => {
    const m = /^([^!=]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid field selector: "${term}"`);
    const [, field, op, value] = m;
    if (!allowed.includes(field)) throw badRequest(`field label not supported: ${field}`);
    return op === '!=' ? (o) => fieldValue(o, field) !== value : (o) => fieldValue(o, field) === value;
  });
  return (o) => matchers.every((m) => m(o));
}
