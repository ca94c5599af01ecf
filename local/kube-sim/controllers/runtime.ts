/**
 * What the simulated controllers share: a coalescing work queue (one pending run per key, run on the
 * next turn so writes never nest inside store events), tracked timers (all cleared on stop), and
 * helpers to write status and spec the way controllers do (as `kube-controller-manager`), keep
 * condition timestamps stable (so an unchanged status is a no-op write), and build owner references.
 */
import { createHash } from 'node:crypto';
import type { Cluster } from '../cluster.ts';
import type { ResourceType } from '../registry.ts';
import type { Obj } from '../store.ts';
import type { Writer } from '../write.ts';

export const CONTROLLER = { manager: 'kube-controller-manager', dryRun: false };

export class Runtime {
  private readonly pending = new Map<string, () => void>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private scheduled: NodeJS.Immediate | undefined;
  private stopped = false;
  /** Small per-controller memory (e.g. the spec a CRD was last served with). */
  readonly memo = new Map<string, string>();

  constructor(
    readonly cluster: Cluster,
    readonly writer: Writer,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Runs `fn` on the next turn; a second request under the same key before then is merged. */
  enqueue(key: string, fn: () => void): void {
    if (this.stopped) return;
    this.pending.set(key, fn);
    this.scheduled ??= setImmediate(() => this.drain());
  }

  /** Runs `fn` after a delay, once per key (a pending timer under the key is kept). */
  after(key: string, seconds: number, fn: () => void): void {
    if (this.stopped || this.timers.has(key)) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(`timer:${key}`, fn);
    }, Math.max(0, seconds * 1000));
    this.timers.set(key, timer);
  }

  hasTimer(key: string): boolean {
    return this.timers.has(key);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.scheduled) clearImmediate(this.scheduled);
    this.pending.clear();
  }

  private drain(): void {
    this.scheduled = undefined;
    const batch = [...this.pending.values()];
    this.pending.clear();
    for (const fn of batch) {
      try {
        fn();
      } catch (error) {
        this.log(`kube-sim: controller error: ${(error as Error).message}`);
      }
    }
  }

  type(group: string, version: string, kind: string): ResourceType {
    return this.cluster.registry.byKind(group, version, kind)!;
  }

  /** Writes a new status (a no-op when it is unchanged). */
  writeStatus(r: ResourceType, live: Obj, status: Obj): Obj {
    return this.writer.commit(r, live, { ...live, status }, CONTROLLER, 'status');
  }

  /** Writes the main resource (spec, metadata) as a controller. */
  writeMain(r: ResourceType, live: Obj, next: Obj): Obj {
    return this.writer.commit(r, live, next, CONTROLLER, 'main');
  }

  create(r: ResourceType, obj: Obj): Obj {
    return this.writer.commit(r, undefined, obj, CONTROLLER, 'main');
  }
}

/**
 * Replaces or adds a condition. Its lastTransitionTime moves only when its status changes, and
 * lastUpdateTime (Deployments carry one) only when anything changes, so a repeated write is a no-op.
 */
export function setCondition(conditions: Obj[] | undefined, next: Obj, now: string, withUpdateTime = false): Obj[] {
  const list = [...(conditions ?? [])];
  const at = list.findIndex((c) => c.type === next.type);
  const old = at >= 0 ? list[at] : undefined;
  const same = old && old.status === next.status && old.reason === next.reason && old.message === next.message;
  const condition: Obj = { ...next };
  if (withUpdateTime) condition.lastUpdateTime = same ? old.lastUpdateTime : now;
  condition.lastTransitionTime = old && old.status === next.status ? old.lastTransitionTime : now;
  if (at >= 0) list[at] = condition;
  else list.push(condition);
  return list;
}

export function ownerReference(owner: Obj): Obj {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

/** The controller owner reference of an object, if any. */
export function controllerOf(obj: Obj): Obj | undefined {
  return (obj.metadata.ownerReferences ?? []).find((ref: Obj) => ref.controller);
}

/**
 * A value in a canonical form: object keys sorted, null and undefined members left out (a template
 * written back by `kubectl rollout undo` carries `creationTimestamp: null` and Go's field order).
 */
export function canonical(value: unknown): string {
  return JSON.stringify(value ?? {}, (_key, v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.keys(v).sort().filter((k) => v[k] !== null && v[k] !== undefined).map((k) => [k, v[k]]));
  });
}

/** A short stable hash of a pod template (what `pod-template-hash` labels carry). */
export function templateHash(template: unknown): string {
  const hex = createHash('sha256').update(canonical(template)).digest('hex');
  let out = '';
  for (let i = 0; i < 10; i++) out += 'bcdfghjklmnpqrstvwxz2456789'[parseInt(hex.slice(i * 2, i * 2 + 2), 16) % 27];
  return out;
}

/** Seconds from an annotation holding a decimal string, else the fallback. */
export function secondsFrom(value: unknown, fallback: number): number {
  const n = typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}
