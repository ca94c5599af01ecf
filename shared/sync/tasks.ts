/**
 * Task generation (SPEC-sync §1.1 steps 1–3): classify the rendered objects (hooks, resources, Skip,
 * ignored), match resources to live objects by (group, kind, namespace, name), and make one task per
 * resource, per prune candidate and per hook phase.
 */
import { hookDeletePolicies, hookPhases, isHook, isSkipped, syncWave, type SyncPhase } from '../model/annotations.ts';
import { isCrd } from '../model/kinds.ts';
import { keyString, type KubeObject, type ResourceKey } from '../model/object.ts';
import { isTrackedTo } from '../model/tracking.ts';
import { hookName, isNameTooLong, prepareTarget } from './hooks.ts';
import { taskOptions } from './options.ts';
import { LiveIndex, liveKey, resolveDesired, type ResolveContext, type Resolved } from './resolve.ts';
import type { PlanSettings, SyncPlanInput, SyncTask, TaskAction } from './types.ts';

/** Shared state of one planning run. */
export interface TaskContext extends ResolveContext {
  settings: PlanSettings;
  app: ReadonlyMap<string, string>;
}

interface TaskSpec {
  key: ResourceKey;
  apiVersion: string;
  phase: SyncPhase;
  action: TaskAction;
  hook: boolean;
  target?: KubeObject;
  live?: KubeObject;
}

/** Make a task; its id is set once the order (and so the final phase) is known. */
export function makeTask(spec: TaskSpec, ctx: TaskContext): SyncTask {
  const source = spec.target ?? spec.live;
  return {
    id: '',
    ...spec,
    wave: syncWave(source),
    deletePolicies: spec.hook ? hookDeletePolicies(source) : [],
    skipDryRun: false,
    options: taskOptions(spec.target, spec.live, ctx.app, ctx.settings.force ?? false),
  };
}

/** Desired non-hook objects resolved, the last of a repeated key winning (RepeatedResourceWarning). */
function resolveResources(objects: readonly KubeObject[], ctx: TaskContext): Map<string, Resolved> {
  const byKey = new Map<string, Resolved>();
  for (const obj of objects) {
    const resolved = resolveDesired(obj, ctx);
    const k = keyString(resolved.key);
    if (byKey.has(k)) ctx.warnings.push({ key: resolved.key, message: `${k} appears more than once in the manifests: the last one wins` });
    byKey.set(k, resolved);
  }
  return byKey;
}

/** Split rendered objects into hooks and the rest (resources and Skip objects). */
function splitHooks(desired: readonly KubeObject[]): { hooks: KubeObject[]; resources: KubeObject[] } {
  const hooks = desired.filter((obj) => isHook(obj));
  return { hooks, resources: desired.filter((obj) => !isHook(obj)) };
}

/** One Sync task per resource (Skip objects get none but still claim their live object). */
function resourceTasks(resources: Map<string, Resolved>, live: LiveIndex, claimed: Set<string>, ctx: TaskContext): SyncTask[] {
  const tasks: SyncTask[] = [];
  for (const { obj, key, scope } of resources.values()) {
    const match = live.find(key, scope);
    if (match) claimed.add(match.key);
    if (isSkipped(obj)) continue;
    const target = prepareTarget(obj, key, false, ctx.settings);
    tasks.push(makeTask({ key, apiVersion: obj.apiVersion, phase: 'Sync', action: 'apply', hook: false, target, live: match?.obj }, ctx));
  }
  return tasks;
}

/**
 * Prune candidates: live objects tracked to this app (self-referencing, no owner) that no desired
 * object claimed. Live hooks, Skip objects and CRDs are never pruned; objects the project forbids
 * leave the managed set.
 */
function pruneTasks(live: LiveIndex, claimed: ReadonlySet<string>, input: SyncPlanInput, ctx: TaskContext): SyncTask[] {
  const tasks: SyncTask[] = [];
  for (const [k, obj] of live.entries()) {
    if (claimed.has(k) || !isTrackedTo(obj, ctx.settings.appInstance) || obj.metadata.ownerReferences?.length) continue;
    if (isHook(obj) || isSkipped(obj) || isCrd(obj)) continue;
    const task = makeTask({ key: liveKey(obj), apiVersion: obj.apiVersion, phase: 'Sync', action: 'prune', hook: false, live: obj }, ctx);
    if (input.checkProject?.(task) !== undefined) continue;
    task.skipped = !ctx.settings.prune ? 'prune disabled' : task.options.prune === 'false' ? 'Prune=false' : undefined;
    tasks.push(task);
  }
  return tasks;
}

/** One task per phase a hook names; hooks naming no sync phase are dropped entirely (§2.1). */
function hookTasks(hooks: readonly KubeObject[], live: LiveIndex, ctx: TaskContext): SyncTask[] {
  const tasks: SyncTask[] = [];
  for (const obj of hooks) {
    const phases = hookPhases(obj);
    if (phases.length === 0) {
      ctx.warnings.push({ message: `${obj.kind} "${obj.metadata.name ?? obj.metadata.generateName ?? ''}" is a hook with no sync phase (PreDelete/PostDelete, Helm test/rollback or an unknown value): ignored` });
      continue;
    }
    for (const phase of phases) {
      const task = hookTask(obj, phase, live, ctx);
      if (task) tasks.push(task);
    }
  }
  return tasks;
}

function hookTask(obj: KubeObject, phase: SyncPhase, live: LiveIndex, ctx: TaskContext): SyncTask | undefined {
  const name = hookName(obj, phase, ctx.settings.revision, ctx.settings.startedAt);
  if (name === undefined) {
    ctx.errors.push({ message: `${obj.kind} hook has neither metadata.name nor metadata.generateName` });
    return undefined;
  }
  const { key, scope } = resolveDesired(obj, ctx, name);
  if (!obj.metadata.name && isNameTooLong(name)) {
    ctx.warnings.push({ key, message: `hook name "${name}" is longer than 63 characters: shorten generateName` });
  }
  const target = prepareTarget(obj, key, true, ctx.settings);
  return makeTask({ key, apiVersion: obj.apiVersion, phase, action: 'apply', hook: true, target, live: live.find(key, scope)?.obj }, ctx);
}

/** Whether a task is part of a selective sync's resource list. */
function isSelected(task: SyncTask, selected: readonly ResourceKey[]): boolean {
  const k = keyString(task.key);
  return selected.some((s) => keyString(s) === k);
}

/**
 * Every task of the sync, unordered: resources, prunes, then hooks (unless hooks are skipped by the
 * apply strategy or a selective sync, §2.8).
 */
export function buildTasks(input: SyncPlanInput, ctx: TaskContext): { tasks: SyncTask[]; live: LiveIndex } {
  const { hooks, resources } = splitHooks(input.desired);
  const resolved = resolveResources(resources, ctx);
  const live = new LiveIndex(input.live ?? [], new Set(resolved.keys()));
  const claimed = new Set<string>();
  const selected = ctx.settings.resources;
  const skipHooks = ctx.settings.skipHooks || (selected !== undefined && selected.length > 0);
  const tasks = [
    ...resourceTasks(resolved, live, claimed, ctx),
    ...pruneTasks(live, claimed, input, ctx),
    ...(skipHooks ? [] : hookTasks(hooks, live, ctx)),
  ];
  return { tasks: selected?.length ? tasks.filter((t) => isSelected(t, selected)) : tasks, live };
}
