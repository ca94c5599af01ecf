/**
 * The write pipeline every change goes through (create, update, patch, apply, and the controllers'
 * status writes): server-set metadata (uid, creationTimestamp, generation bumped on spec changes),
 * status kept apart from the main resource, defaults, schema and immutability checks, finalizer
 * rules, managedFields, no-op detection (an unchanged object keeps its resourceVersion), dry-run.
 */
import type { Cluster } from './cluster.ts';
import { ApiError, invalid } from './errors.ts';
import { deepEqual } from './fieldwalk.ts';
import { applyDefaults, initialStatus, type DefaultContext } from './defaults.ts';
import type { Part } from './managed.ts';
import { recordUpdate } from './managed.ts';
import type { ResourceType } from './registry.ts';
import { apiVersionOf, storageKey } from './registry.ts';
import type { Obj } from './store.ts';
import { immutabilityErrors } from './immutable.ts';
import { schemaErrors } from './validation.ts';

export interface WriteOptions {
  manager: string;
  dryRun: boolean;
}

/** Metadata only the server sets; carried from the stored object into every new version. */
const SERVER_META = ['uid', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

export function hasStatus(r: ResourceType): boolean {
  return r.subresources.includes('status');
}

function hasGeneration(r: ResourceType): boolean {
  return Boolean(r.crd) || r.group !== '' || r.plural === 'replicationcontrollers';
}

export class Writer {
  private nextIp = 10;
  private nextNodePort = 30000;

  constructor(private readonly cluster: Cluster) {}

  private readonly defaultContext: DefaultContext = {
    allocateIp: () => `10.96.${Math.floor(this.nextIp / 250)}.${(this.nextIp++ % 250) + 1}`,
    allocateNodePort: () => this.nextNodePort++,
  };

  /**
   * Finishes and stores the next version of an object (`before` undefined for a create).
   * `managedFields` comes from server-side apply; otherwise the write is recorded as an update.
   */
  commit(r: ResourceType, before: Obj | undefined, proposed: Obj, opts: WriteOptions, part: Part, managedFields?: Obj[]): Obj {
    // managedFields are rebuilt, never edited, and a status write changes nothing but status: the
    // rest is shared with the stored version (stored objects are never changed in place).
    const { managedFields: incoming, ...meta } = proposed.metadata ?? {};
    const next: Obj = part === 'status'
      ? { ...proposed, metadata: structuredClone(meta), status: structuredClone(proposed.status) }
      : structuredClone({ ...proposed, metadata: meta });
    if (incoming !== undefined) next.metadata.managedFields = incoming;
    next.apiVersion = apiVersionOf(r);
    next.kind = r.kind;
    this.stampMetadata(r, before, next);
    if (hasStatus(r) && part === 'main') {
      if (before?.status !== undefined) next.status = before.status;
      else delete next.status;
      if (!before && initialStatus(r.group, next)) next.status = initialStatus(r.group, next);
    }
    if (part === 'main') applyDefaults(r.group, next, this.defaultContext);
    this.check(r, before, next, part);
    if (before && hasGeneration(r) && !deepEqual(specOf(before), specOf(next))) next.metadata.generation = (before.metadata.generation ?? 1) + 1;
    next.metadata.managedFields = managedFields ?? recordUpdate(before, next, {
      manager: opts.manager, apiVersion: apiVersionOf(r), part, hasStatus: hasStatus(r), cursor: this.cluster.cursorOf(r), now: this.cluster.now(),
    });
    if (!next.metadata.managedFields.length) delete next.metadata.managedFields;
    if (before && deepEqual(withoutVersion(before), withoutVersion(next))) return before;
    return this.persist(r, next, opts);
  }

  private persist(r: ResourceType, next: Obj, opts: WriteOptions): Obj {
    // A Namespace also waits for its spec.finalizers (the namespace controller's "kubernetes").
    const pending = [...(next.metadata.finalizers ?? []), ...(r.kind === 'Namespace' && !r.group ? (next.spec?.finalizers ?? []) : [])];
    const finished = next.metadata.deletionTimestamp && !pending.length;
    if (opts.dryRun) return next;
    if (finished) return this.cluster.store.remove(storageKey(r), next, next) ?? next;
    return this.cluster.store.put(storageKey(r), next);
  }

  private stampMetadata(r: ResourceType, before: Obj | undefined, next: Obj): void {
    const meta = (next.metadata = { ...(next.metadata ?? {}) });
    for (const key of SERVER_META) delete meta[key];
    delete meta.selfLink;
    if (before) {
      for (const key of SERVER_META) if (before.metadata[key] !== undefined) meta[key] = before.metadata[key];
      meta.resourceVersion = before.metadata.resourceVersion;
      return;
    }
    meta.uid = this.cluster.uid();
    meta.creationTimestamp = this.cluster.now();
    delete meta.resourceVersion;
    if (hasGeneration(r)) meta.generation = 1;
    if (!r.namespaced) delete meta.namespace;
  }

  private check(r: ResourceType, before: Obj | undefined, next: Obj, part: Part): void {
    const name = next.metadata.name;
    const causes = part === 'main' ? schemaErrors(next, this.cluster.cursorOf(r)) : [];
    if (before) causes.push(...immutabilityErrors(r, before, next));
    if (causes.length) throw invalid(r, name, causes);
    if (before?.metadata.deletionTimestamp) {
      const old = new Set(before.metadata.finalizers ?? []);
      const added = (next.metadata.finalizers ?? []).filter((f: string) => !old.has(f));
      if (added.length) {
        throw invalid(r, name, [{ reason: 'FieldValueForbidden', field: 'metadata.finalizers', message: `Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}` }]);
      }
    }
  }
}

/** Everything a generation counts: the object without metadata and status. */
function specOf(obj: Obj): Obj {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = obj;
  return rest;
}

function withoutVersion(obj: Obj): Obj {
  const { resourceVersion: _rv, ...meta } = obj.metadata;
  return { ...obj, metadata: meta };
}

/** A write refused because the client held a stale resourceVersion. */
export function checkPrecondition(r: ResourceType, live: Obj, proposed: Obj, conflict: (r: ResourceType, name: string) => ApiError): void {
  const rv = proposed.metadata?.resourceVersion;
  if (rv && rv !== live.metadata.resourceVersion) throw conflict(r, live.metadata.name);
}
