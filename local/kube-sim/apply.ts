/**
 * Server-side apply: merges an applied configuration into the live object, removes the fields its
 * manager applied last time and no longer does (unless someone else owns them), detects conflicts
 * with other managers (409 "Apply failed with N conflicts"), and with `force` takes those fields over.
 */
import { ApiError } from './errors.ts';
import { printPath } from './fieldset.ts';
import type { Cursor } from './fieldwalk.ts';
import { compare, setOf } from './fieldwalk.ts';
import { applyMerge, removePaths } from './apply-merge.ts';
import type { Manager, Part } from './managed.ts';
import { decodeManagers, keepTimes, ownedPart, sameManager } from './managed.ts';
import type { Obj } from './store.ts';

export interface ApplyRequest {
  live: Obj | undefined;
  applied: Obj;
  manager: string;
  force: boolean;
  apiVersion: string;
  part: Part;
  hasStatus: boolean;
  cursor: Cursor;
  now: string;
}

/** The owned part of the object after the apply, and the managedFields to store with it. */
export interface ApplyResult {
  owned: Obj;
  managedFields: Obj[];
}

export function serverSideApply(req: ApplyRequest): ApplyResult {
  const managers = decodeManagers(req.live);
  const subresource = req.part === 'status' ? 'status' : undefined;
  const isMe = (m: Manager) => sameManager(m, req.manager, 'Apply', subresource);
  const config = ownedPart(req.applied, req.part, req.hasStatus) ?? {};
  const applying = setOf(config, req.cursor, false);
  const liveOwned = ownedPart(req.live, req.part, req.hasStatus) ?? {};
  const merged = applyMerge(liveOwned, config, req.cursor) as Obj;

  const mine = managers.find(isMe)?.set;
  const others = managers.filter((m) => !isMe(m));
  if (mine) {
    // A field given up goes unless someone (another manager, or this apply) owns it or anything under it.
    const owned = others.reduce((acc, m) => acc.union(m.set), applying);
    const givenUp = mine.minus(applying).paths().filter((path) => !owned.at(path));
    removePaths(merged, givenUp, req.cursor);
  }

  const { changed, removed } = compare(liveOwned, merged, req.cursor);
  const touched = changed.union(removed);
  const conflicts = others.map((m) => ({ m, paths: m.set.clashes(touched) })).filter((c) => c.paths.length);
  if (conflicts.length && !req.force) throw conflictError(conflicts);

  const next = others.map((m) => {
    const lost = conflicts.find((c) => c.m === m)?.paths ?? [];
    let set = m.set.minusTrees(removed);
    if (lost.length) {
      // Decoded sets are shared (cached): change a copy.
      set = set.clone();
      for (const path of lost) set.removeTree(path);
    }
    return { ...m, set };
  });
  next.push({ manager: req.manager, operation: 'Apply', apiVersion: req.apiVersion, time: req.now, set: applying, ...(subresource ? { subresource } : {}) });
  const ordered = orderLikeBefore(managers, next);
  return { owned: merged, managedFields: keepTimes(managers, ordered) };
}

/** Keeps managers in their previous order, new ones last. */
function orderLikeBefore(before: Manager[], after: Manager[]): Manager[] {
  const index = (m: Manager) => {
    const i = before.findIndex((b) => sameManager(b, m.manager, m.operation, m.subresource));
    return i < 0 ? before.length : i;
  };
  return [...after].sort((a, b) => index(a) - index(b));
}

/** How Kubernetes names a manager in a conflict: Update managers carry their API version. */
function printManager(m: Manager): string {
  const name = JSON.stringify(m.manager) + (m.subresource ? ` with subresource "${m.subresource}"` : '');
  return m.operation === 'Update' ? `${name} using ${m.apiVersion}` : name;
}

function conflictError(conflicts: Array<{ m: Manager; paths: string[][] }>): ApiError {
  const all = conflicts.flatMap(({ m, paths }) => paths.map((p) => ({ manager: printManager(m), field: printPath(p) })));
  const causes = all.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field }));
  let text: string;
  if (all.length === 1) text = `conflict with ${all[0].manager}: ${all[0].field}`;
  else if (conflicts.length === 1) text = `conflicts with ${all[0].manager}:\n${all.map((c) => `- ${c.field}`).join('\n')}`;
  else text = conflicts.map(({ m, paths }) => `conflicts with ${printManager(m)}:\n${paths.map((p) => `- ${printPath(p)}`).join('\n')}`).join('\n');
  const n = all.length;
  return new ApiError(409, 'Conflict', `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${text}`, { causes });
}

