/**
 * Walking an object's OpenAPI schema field by field: what a field is (known, unknown, free-form),
 * how its lists merge (`x-kubernetes-list-type`, `-list-map-keys`, `-patch-merge-key`,
 * `-patch-strategy`) and whether a map is atomic. Used by strict validation, strategic merge and
 * server-side apply. Without a schema, list merge keys fall back to a small built-in table.
 */
import type { Doc } from './openapi.ts';

/** A position in a schema: the (dereferenced) node and the document its `$ref`s point into. */
export interface Schema {
  node: Record<string, any>;
  doc: Doc;
}

export interface ListInfo {
  type: 'atomic' | 'set' | 'map';
  /** SSA keys of a map list. */
  keys: string[];
  /** Strategic merge: the merge key, when the list merges. */
  mergeKey?: string;
  /** Strategic merge: whether the list merges (`merge`) rather than being replaced. */
  merges: boolean;
}

const derefCache = new WeakMap<object, Record<string, any>>();
const rootCache = new WeakMap<Doc, Map<string, Record<string, any>>>();

/** Follows `$ref` and a single-`allOf` wrapper, keeping the extensions written beside them. */
function deref(node: Record<string, any>, doc: Doc): Record<string, any> {
  const cached = derefCache.get(node);
  if (cached) return cached;
  let ref: string | undefined = node.$ref;
  if (!ref && Array.isArray(node.allOf) && node.allOf.length === 1) ref = node.allOf[0].$ref;
  let out = node;
  if (ref) {
    const target = doc.components.schemas[ref.replace('#/components/schemas/', '')] ?? {};
    const { $ref: _r, allOf: _a, ...rest } = node;
    out = { ...deref(target, doc), ...rest };
  }
  derefCache.set(node, out);
  return out;
}

/** The schema of a kind in a document, found by `x-kubernetes-group-version-kind`. */
export function rootSchema(doc: Doc, group: string, version: string, kind: string): Schema | undefined {
  let roots = rootCache.get(doc);
  if (!roots) {
    roots = new Map();
    for (const node of Object.values(doc.components?.schemas ?? {})) {
      for (const g of node['x-kubernetes-group-version-kind'] ?? []) roots.set(`${g.group}/${g.version}/${g.kind}`, node);
    }
    rootCache.set(doc, roots);
  }
  const node = roots.get(`${group}/${version}/${kind}`);
  return node ? { node: deref(node, doc), doc } : undefined;
}

/** Whether any field is allowed here (free-form object or `x-kubernetes-preserve-unknown-fields`). */
function isOpen(s: Schema): boolean {
  const n = s.node;
  if (n['x-kubernetes-preserve-unknown-fields'] === true) return true;
  if (n.additionalProperties === true) return true;
  if (n.type === 'object' && !n.properties && !n.additionalProperties) return true;
  return !n.type && !n.properties && !n.additionalProperties && !n.items;
}

/**
 * The schema of a field of an object: a Schema, `'any'` when the field is allowed but undescribed,
 * or `undefined` when the field is unknown (not declared and the object is closed).
 */
export function fieldOf(s: Schema, name: string): Schema | 'any' | undefined {
  const n = s.node;
  const declared = n.properties?.[name];
  if (declared) return { node: deref(declared, s.doc), doc: s.doc };
  if (n.additionalProperties && typeof n.additionalProperties === 'object') {
    return { node: deref(n.additionalProperties, s.doc), doc: s.doc };
  }
  return isOpen(s) ? 'any' : undefined;
}

/** The schema of a list's items, if described. */
export function itemsOf(s: Schema): Schema | undefined {
  const items = s.node.items;
  return items && typeof items === 'object' ? { node: deref(items, s.doc), doc: s.doc } : undefined;
}

/** Whether a map or struct is replaced as a whole (`x-kubernetes-map-type: atomic`). */
export function isAtomicMap(s: Schema | undefined): boolean {
  return s?.node['x-kubernetes-map-type'] === 'atomic';
}

/** How a list field merges, from its schema, else from the built-in table by field name. */
export function listInfo(s: Schema | undefined, field: string, sample: unknown[]): ListInfo {
  if (s && (s.node['x-kubernetes-list-type'] || s.node['x-kubernetes-patch-strategy'])) {
    const strategy = String(s.node['x-kubernetes-patch-strategy'] ?? '');
    return {
      type: s.node['x-kubernetes-list-type'] ?? 'atomic',
      keys: s.node['x-kubernetes-list-map-keys'] ?? [],
      mergeKey: s.node['x-kubernetes-patch-merge-key'],
      merges: strategy.split(',').includes('merge'),
    };
  }
  if (s) return { type: 'atomic', keys: [], merges: false };
  return fallbackListInfo(field, sample);
}

/** Merge keys of the lists users write most, for when no schemas are loaded. */
const FALLBACK_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  ownerReferences: ['uid'],
  conditions: ['type'],
  hostAliases: ['ip'],
  topologySpreadConstraints: ['topologyKey', 'whenUnsatisfiable'],
};

function fallbackListInfo(field: string, sample: unknown[]): ListInfo {
  if (field === 'finalizers') return { type: 'set', keys: [], merges: true };
  if (field === 'ports') {
    const first = sample.find((x) => x && typeof x === 'object') as Record<string, unknown> | undefined;
    const primary = first && 'containerPort' in first ? 'containerPort' : 'port';
    return { type: 'map', keys: [primary, 'protocol'], mergeKey: primary, merges: true };
  }
  const keys = FALLBACK_KEYS[field];
  return keys ? { type: 'map', keys, mergeKey: keys[0], merges: true } : { type: 'atomic', keys: [], merges: false };
}

/** The default of a key field (e.g. `protocol: TCP`), used when an item leaves its key out. */
export function keyDefault(items: Schema | undefined, key: string): unknown {
  if (items) {
    const field = fieldOf(items, key);
    if (field && field !== 'any') return field.node.default;
    return undefined;
  }
  return key === 'protocol' ? 'TCP' : undefined;
}
