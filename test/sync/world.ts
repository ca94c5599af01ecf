// An in-memory cluster for driving ticks in tests: it performs the actions of a decision on a map of
// objects (apply, delete honouring finalizers, finalizer removal), answers health from what each
// test sets, and can fail chosen actions. The loop `syncUntilDone` is what a Step Functions
// execution does: tick → run stages → complete → wait → tick.
import type { HealthStatus, HealthStatusCode } from '../../shared/health/types.ts';
import { keyString, type KubeObject, type ResourceKey } from '../../shared/model/object.ts';
import type { Action, ActionOutcome } from '../../shared/sync/actions.ts';
import { completeTick } from '../../shared/sync/complete.ts';
import type { Next } from '../../shared/sync/decision.ts';
import { runStages } from '../../shared/sync/run.ts';
import { startOperation, type OperationState } from '../../shared/sync/state.ts';
import { tick, type TickInput } from '../../shared/sync/tick.ts';
import type { PlanSettings } from '../../shared/sync/types.ts';

const NO_HEALTH_KINDS = new Set(['ConfigMap', 'Secret', 'ServiceAccount', 'Namespace', 'Role', 'RoleBinding', 'ClusterRole', 'CustomResourceDefinition']);

function keyOfAction(a: Action): string {
  return keyString(a.key);
}

export class World {
  readonly objects = new Map<string, KubeObject>();
  /** Health by object name (all kinds); unset → Healthy, or null for kinds without a check. */
  readonly health = new Map<string, HealthStatusCode | null>();
  /** Action ids (`apply:<taskId>`, `dry-run:<taskId>`, …) that fail, with their message. */
  readonly failures = new Map<string, string>();
  /** Every action performed, in order: `<type> <purpose> <name>`. */
  readonly log: string[] = [];
  /** As an API server: an apply (dry run included) into a namespace that does not exist fails. */
  requireNamespaces = false;

  constructor(live: KubeObject[] = []) {
    for (const obj of live) this.objects.set(keyString(this.key(obj)), structuredClone(obj));
  }

  private key(obj: KubeObject): ResourceKey {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    return { group, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
  }

  setHealth(name: string, status: HealthStatusCode | null): void {
    this.health.set(name, status);
  }

  private healthOf(obj: KubeObject): HealthStatus | null {
    const set = this.health.get(obj.metadata.name ?? '');
    if (set !== undefined) return set === null ? null : { status: set, message: `${obj.metadata.name} is ${set.toLowerCase()}` };
    return NO_HEALTH_KINDS.has(obj.kind) ? null : { status: 'Healthy' };
  }

  live(): TickInput['live'] {
    return [...this.objects.values()].map((object) => ({ object: structuredClone(object), health: this.healthOf(object) }));
  }

  async perform(action: Action): Promise<ActionOutcome> {
    this.log.push(`${action.purpose} ${action.key.kind}/${action.key.name}`);
    const failure = this.failures.get(action.id);
    if (failure !== undefined) return { ok: false, message: failure };
    const k = keyOfAction(action);
    const obj = this.objects.get(k);
    if (action.type === 'apply') {
      const ns = action.key.namespace;
      if (this.requireNamespaces && ns !== '' && !this.has('Namespace', ns)) return { ok: false, message: `namespaces "${ns}" not found` };
      if (!action.dryRun) this.objects.set(k, structuredClone(action.object));
      return { ok: true, message: `${action.key.kind.toLowerCase()}/${action.key.name} ${obj ? 'configured' : 'created'}` };
    }
    if (!obj) return { ok: true };
    if (action.type === 'remove-finalizer') {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== action.finalizer);
      if (obj.metadata.deletionTimestamp && obj.metadata.finalizers.length === 0) this.objects.delete(k);
      return { ok: true };
    }
    if (obj.metadata.finalizers?.length) obj.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    else this.objects.delete(k);
    return { ok: true };
  }

  /** A controller finishing a deletion: drop the finalizers of an object being deleted. */
  finishDeletion(name: string): void {
    for (const [k, obj] of this.objects) if (obj.metadata.name === name && obj.metadata.deletionTimestamp) this.objects.delete(k);
  }

  has(kind: string, name: string): boolean {
    return [...this.objects.values()].some((o) => o.kind === kind && o.metadata.name === name);
  }

  get(kind: string, name: string): KubeObject | undefined {
    return [...this.objects.values()].find((o) => o.kind === kind && o.metadata.name === name);
  }
}

/** One recorded tick: its message and how long it asked to wait. */
export interface TickRecord {
  phase: string;
  message: string;
  next: Next;
}

/**
 * Drive ticks until the operation ends (or `maxTicks`), calling `between(i, world)` before each tick
 * so a test can move health along.
 */
export async function syncUntilDone(world: World, desired: KubeObject[], settings: PlanSettings, options: {
  maxTicks?: number; between?: (i: number, world: World) => void; state?: OperationState;
} = {}): Promise<{ state: OperationState; ticks: TickRecord[] }> {
  let state = options.state ?? startOperation(settings.revision, settings.startedAt);
  const ticks: TickRecord[] = [];
  for (let i = 0; i < (options.maxTicks ?? 20); i++) {
    options.between?.(i, world);
    const decision = tick({ desired, live: world.live(), settings, state });
    const outcomes = await runStages(decision.stages, (a) => world.perform(a));
    const done = completeTick(decision, outcomes, settings.startedAt + 100 + i);
    state = done.state;
    ticks.push({ phase: state.phase, message: state.message, next: done.next });
    if (done.next.kind === 'done') break;
  }
  return { state, ticks };
}
