/**
 * Where each object lives: its scope (built-in table, then CRDs of the same render) and its final
 * namespace (SPEC-sync §1.1 step 3: objects without one get the destination namespace; keys of
 * cluster-scoped kinds have none).
 */
import { groupOf, keyString, type KubeObject, type ResourceKey } from '../model/object.ts';
import { crdKinds, scopeOf, type BuiltinKind, type Scope } from '../model/kinds.ts';
import type { PlanIssue } from './types.ts';

/** What resolving needs: the destination namespace, the CRDs of the render, and where to report. */
export interface ResolveContext {
  destinationNamespace: string;
  crds: ReadonlyMap<string, BuiltinKind>;
  errors: PlanIssue[];
  warnings: PlanIssue[];
  /** `group/kind` already reported as unknown, so each is reported once. */
  reportedUnknown: Set<string>;
}

/** A resolving context for the desired objects of one render. */
export function resolveContext(desired: readonly KubeObject[], destinationNamespace: string): ResolveContext {
  return { destinationNamespace, crds: crdKinds(desired), errors: [], warnings: [], reportedUnknown: new Set() };
}

/** A desired or live object with its identity resolved. */
export interface Resolved {
  obj: KubeObject;
  key: ResourceKey;
  /** undefined when neither the built-in table nor a CRD of the render knows the kind. */
  scope: Scope | undefined;
}

/** The scope of an object's kind; an unknown kind is reported once, as "must exist on the cluster". */
function scopeFor(obj: KubeObject, ctx: ResolveContext): Scope | undefined {
  const group = groupOf(obj.apiVersion);
  const scope = scopeOf(group, obj.kind, ctx.crds);
  const gk = `${group}/${obj.kind}`;
  if (scope === undefined && !ctx.reportedUnknown.has(gk)) {
    ctx.reportedUnknown.add(gk);
    ctx.warnings.push({ message: `kind ${gk} is neither built in nor defined by a CRD of this render: planned as namespaced, it must exist on the cluster` });
  }
  return scope;
}

/**
 * The key of a desired object, with `name` (a hook's generated name) when given. Namespaced and
 * unknown kinds take the destination namespace when they name none.
 */
export function resolveDesired(obj: KubeObject, ctx: ResolveContext, name = obj.metadata.name ?? ''): Resolved {
  const scope = scopeFor(obj, ctx);
  const namespace = scope === 'Cluster' ? '' : obj.metadata.namespace || ctx.destinationNamespace;
  const key = { group: groupOf(obj.apiVersion), kind: obj.kind, namespace, name };
  if (scope !== 'Cluster' && namespace === '') {
    ctx.errors.push({ key, message: `${obj.kind} "${name}" is namespaced but names no namespace, and the Application has no destination namespace` });
  }
  return { obj, key, scope };
}

/** The key of a live object as the cluster gives it. */
export function liveKey(obj: KubeObject): ResourceKey {
  return { group: groupOf(obj.apiVersion), kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

/**
 * Live objects by key. Duplicates of one object served under aliased groups (same UID) are collapsed,
 * keeping the copy whose key is desired (SPEC-sync §1.1 step 2).
 */
export class LiveIndex {
  private readonly byKey = new Map<string, KubeObject>();

  constructor(live: readonly KubeObject[], desiredKeys: ReadonlySet<string>) {
    const byUid = new Map<string, string>();
    for (const obj of live) {
      const key = keyString(liveKey(obj));
      const uid = obj.metadata.uid;
      const twin = uid ? byUid.get(uid) : undefined;
      if (twin !== undefined && twin !== key) {
        if (desiredKeys.has(twin) || !desiredKeys.has(key)) continue;
        this.byKey.delete(twin);
      }
      if (uid) byUid.set(uid, key);
      this.byKey.set(key, obj);
    }
  }

  /** The live object of a key; an unknown scope tries the namespaced key, then the cluster one. */
  find(key: ResourceKey, scope: Scope | undefined): { obj: KubeObject; key: string } | undefined {
    const candidates = [key];
    if (scope === undefined) candidates.push({ ...key, namespace: '' });
    for (const candidate of candidates) {
      const k = keyString(candidate);
      const obj = this.byKey.get(k);
      if (obj) return { obj, key: k };
    }
    return undefined;
  }

  /** Every live object with its key string. */
  entries(): IterableIterator<[string, KubeObject]> {
    return this.byKey.entries();
  }
}
