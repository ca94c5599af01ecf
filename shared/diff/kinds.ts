/**
 * Kind-specific normalisations of SPEC-sync §5.3, applied to both sides so that equivalent forms
 * compare equal: Secret `stringData`, RBAC roles' empty or aggregated rules, Endpoints order and
 * default protocol.
 */
import { isRecord, groupOf, type KubeObject } from '../model/object.ts';
import { canonical, type Json } from './json.ts';
import { foldStringData } from './secret.ts';

/** Options of the kind normalisations. */
export interface KindOptions {
  /** Ignore the rules of roles that have an aggregationRule (the controller fills them). Default false. */
  ignoreAggregatedRoles?: boolean;
}

function normalizeRole(role: Json, options: KindOptions): void {
  const rules = role.rules;
  const empty = rules === null || (Array.isArray(rules) && rules.length === 0);
  if (empty || (options.ignoreAggregatedRoles && role.aggregationRule != null)) delete role.rules;
}

function sortByCanonical(list: unknown): void {
  if (Array.isArray(list)) list.sort((a, b) => (canonical(a) < canonical(b) ? -1 : canonical(a) > canonical(b) ? 1 : 0));
}

function normalizeSubset(subset: unknown): void {
  if (!isRecord(subset)) return;
  if (Array.isArray(subset.ports)) {
    for (const port of subset.ports) if (isRecord(port) && (port.protocol === undefined || port.protocol === '')) port.protocol = 'TCP';
  }
  for (const list of [subset.addresses, subset.notReadyAddresses, subset.ports]) sortByCanonical(list);
}

function normalizeEndpoints(endpoints: Json): void {
  if (!Array.isArray(endpoints.subsets)) return;
  endpoints.subsets.forEach(normalizeSubset);
  sortByCanonical(endpoints.subsets);
}

/**
 * Applies the normalisation of the object's kind, in place.
 * @example normalizeKind(role, {}) // a Role with `rules: []` loses its rules field
 */
export function normalizeKind(obj: KubeObject, options: KindOptions): void {
  const group = groupOf(obj.apiVersion);
  if (group === '' && obj.kind === 'Secret') foldStringData(obj);
  else if (group === '' && obj.kind === 'Endpoints') normalizeEndpoints(obj);
  else if (group === 'rbac.authorization.k8s.io' && (obj.kind === 'Role' || obj.kind === 'ClusterRole')) normalizeRole(obj, options);
}
