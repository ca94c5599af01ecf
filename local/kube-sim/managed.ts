/**
 * `metadata.managedFields`: decoding the entries into field sets per manager, recording what an
 * update-type write (create, PUT, non-apply PATCH) changed, and encoding them back. Update writes
 * never conflict: the writer takes the fields it changed from everyone else, as Kubernetes does.
 */
import { FieldSet } from './fieldset.ts';
import type { Cursor } from './fieldwalk.ts';
import { compare } from './fieldwalk.ts';
import type { Obj } from './store.ts';

export type Operation = 'Apply' | 'Update';

export interface Manager {
  manager: string;
  operation: Operation;
  apiVersion: string;
  time: string;
  subresource?: string;
  set: FieldSet;
  /** The stored entry this manager was read from (reused as is while its set stays the same). */
  raw?: Obj;
}

/** Decoded field sets by stored entry: entries are never changed in place, so this stays valid. */
const decoded = new WeakMap<object, FieldSet>();

function setOfEntry(entry: Obj): FieldSet {
  let set = decoded.get(entry);
  if (!set) {
    set = FieldSet.fromFieldsV1(entry.fieldsV1);
    decoded.set(entry, set);
  }
  return set;
}

/** Which part of an object a write addresses: the main resource or its `status` subresource. */
export type Part = 'main' | 'status';

const METADATA_OWNED_BY_NOBODY = [
  'name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'managedFields', 'selfLink', 'generateName',
];

/**
 * The part of an object whose fields managers own: without apiVersion, kind and server-set metadata;
 * for the main resource without `status` (when the kind has a status subresource), for `status` only that.
 */
export function ownedPart(obj: Obj | undefined, part: Part, hasStatus: boolean): Obj | undefined {
  if (!obj) return undefined;
  if (part === 'status') return obj.status === undefined ? {} : { status: obj.status };
  const { apiVersion: _a, kind: _k, metadata, status, ...rest } = obj;
  const meta = { ...(metadata ?? {}) };
  for (const key of METADATA_OWNED_BY_NOBODY) delete meta[key];
  // metadata is always there, so that a first label never counts as adding metadata itself.
  const out: Obj = { ...rest, metadata: meta };
  if (!hasStatus && status !== undefined) out.status = status;
  return out;
}

export function decodeManagers(obj: Obj | undefined): Manager[] {
  const entries = obj?.metadata?.managedFields;
  if (!Array.isArray(entries)) return [];
  return entries
    .filter((e) => e && typeof e.manager === 'string')
    .map((e) => ({
      manager: e.manager,
      operation: e.operation === 'Apply' ? 'Apply' : 'Update',
      apiVersion: e.apiVersion ?? '',
      time: e.time ?? '',
      ...(e.subresource ? { subresource: e.subresource } : {}),
      set: setOfEntry(e),
      raw: e,
    }));
}

function encodeManagers(managers: Manager[]): Obj[] {
  return managers
    .filter((m) => !m.set.isEmpty())
    .map((m) => {
      if (m.raw && decoded.get(m.raw) === m.set && m.raw.time === m.time && m.raw.apiVersion === m.apiVersion) return m.raw;
      const entry = {
        manager: m.manager,
        operation: m.operation,
        apiVersion: m.apiVersion,
        time: m.time,
        fieldsType: 'FieldsV1',
        fieldsV1: m.set.toFieldsV1(),
        ...(m.subresource ? { subresource: m.subresource } : {}),
      };
      decoded.set(entry, m.set);
      return entry;
    });
}

export function sameManager(m: Manager, name: string, operation: Operation, subresource?: string): boolean {
  return m.manager === name && m.operation === operation && (m.subresource ?? '') === (subresource ?? '');
}

export interface UpdateRecord {
  manager: string;
  apiVersion: string;
  part: Part;
  hasStatus: boolean;
  cursor: Cursor;
  now: string;
}

/**
 * The managedFields after an update-type write from `before` to `after`: the writer gains what it
 * changed, every other manager loses it, and removed fields leave every set.
 */
export function recordUpdate(before: Obj | undefined, after: Obj, rec: UpdateRecord): Obj[] {
  const managers = decodeManagers(after.metadata?.managedFields ? after : before);
  const { changed, removed } = compare(ownedPart(before, rec.part, rec.hasStatus), ownedPart(after, rec.part, rec.hasStatus), rec.cursor);
  const subresource = rec.part === 'status' ? 'status' : undefined;
  const next = managers.map((m) => ({ ...m, set: m.set.minusTrees(removed).minusTrees(changed) }));
  if (!changed.isEmpty()) {
    const own = next.find((m) => sameManager(m, rec.manager, 'Update', subresource));
    const previous = managers.find((m) => sameManager(m, rec.manager, 'Update', subresource));
    const set = (previous?.set.minusTrees(removed) ?? new FieldSet()).union(changed);
    const entry: Manager = { manager: rec.manager, operation: 'Update', apiVersion: rec.apiVersion, time: rec.now, set, raw: undefined, ...(subresource ? { subresource } : {}) };
    if (own) Object.assign(own, entry);
    else next.push(entry);
  }
  return keepTimes(managers, next);
}

/** Entries whose field set did not change keep their old time (so a no-op write changes nothing). */
export function keepTimes(before: Manager[], after: Manager[]): Obj[] {
  for (const m of after) {
    const old = before.find((b) => sameManager(b, m.manager, m.operation, m.subresource));
    if (!old || old.apiVersion !== m.apiVersion) continue;
    if (old.set === m.set || JSON.stringify(old.set.toFieldsV1()) === JSON.stringify(m.set.toFieldsV1())) {
      m.time = old.time;
      m.set = old.set;
      m.raw = old.raw;
    }
  }
  return encodeManagers(after);
}
