/**
 * What a tick asks the cluster to do: applies (dry-run or real), deletes and hook-finalizer removals,
 * grouped in stages. The executor runs the stages with `runStages` (run.ts) and hands the outcomes
 * to `completeTick`; nothing here performs I/O.
 */
import type { KubeObject, ResourceKey } from '../model/object.ts';
import type { PropagationPolicy, SyncTask, TaskOptions } from './types.ts';

/** Why an action is asked for; `completeTick` records its outcome accordingly. */
export type ActionPurpose =
  | 'create-namespace' | 'dry-run' | 'apply' | 'prune' | 'before-hook-creation' | 'hook-cleanup' | 'finalizer' | 'terminate';

/** Apply an object server-side (field manager gitwave, conflicts forced), or only dry-run it. */
export interface ApplyAction {
  type: 'apply';
  /** `<purpose>:<taskId>`, unique within a decision. */
  id: string;
  purpose: ActionPurpose;
  taskId: string;
  key: ResourceKey;
  object: KubeObject;
  /** `dryRun=All`: validate only. */
  dryRun: boolean;
  options: TaskOptions;
  /** Whether a live object existed when the tick was planned (Replace: create vs replace/update). */
  exists: boolean;
}

/** Delete an object (a prune, a BeforeHookCreation delete, a hook clean-up, a terminate). */
export interface DeleteAction {
  type: 'delete';
  id: string;
  purpose: ActionPurpose;
  taskId: string;
  key: ResourceKey;
  apiVersion: string;
  propagationPolicy: PropagationPolicy;
}

/** Remove the hook finalizer from a live hook. */
export interface RemoveFinalizerAction {
  type: 'remove-finalizer';
  id: string;
  purpose: ActionPurpose;
  taskId: string;
  key: ResourceKey;
  apiVersion: string;
  finalizer: string;
}

export type Action = ApplyAction | DeleteAction | RemoveFinalizerAction;

/**
 * Stages, in the order they run:
 * - finalizers: strip hook finalizers (completed hooks, and hooks about to be re-created);
 * - create-namespace: CreateNamespace before the dry run (a failure fails the sync);
 * - dry-run: first tick only (a failure fails the sync, without SyncFail hooks);
 * - prune: a failure stops the group;
 * - delete-before-create: any delete leaves the group pending until the hooks are gone;
 * - apply: runs of one kind, one after the other, each in parallel;
 * - cleanup: hook deletes that depend on how the group ended (`when`);
 * - terminate: deletes of running hooks when an operation is terminated.
 */
export type StageName = 'finalizers' | 'create-namespace' | 'dry-run' | 'prune' | 'delete-before-create' | 'apply' | 'cleanup' | 'terminate';

export interface Stage {
  name: StageName;
  /** Batches run one after the other; the actions of one batch run in parallel. */
  batches: Action[][];
  /** Run only if the group so far ended this way (cleanup stages). */
  when?: 'ok' | 'failed';
}

/** What happened to one action. A delete that finds nothing (404) is `ok`. */
export interface ActionOutcome {
  ok: boolean;
  message?: string;
}

/** Outcomes by action id; actions of stages that did not run are absent. */
export type Outcomes = Readonly<Record<string, ActionOutcome>>;

export function applyAction(task: SyncTask, purpose: 'create-namespace' | 'dry-run' | 'apply', dryRun: boolean): ApplyAction {
  return {
    type: 'apply', id: `${purpose}:${task.id}`, purpose, taskId: task.id, key: task.key,
    object: task.target!, dryRun, options: task.options, exists: task.live !== undefined,
  };
}

export function deleteAction(task: SyncTask, purpose: ActionPurpose, propagationPolicy: PropagationPolicy): DeleteAction {
  const apiVersion = task.live?.apiVersion ?? task.apiVersion;
  return { type: 'delete', id: `${purpose}:${task.id}`, purpose, taskId: task.id, key: task.key, apiVersion, propagationPolicy };
}

export function removeFinalizerAction(task: SyncTask, finalizer: string): RemoveFinalizerAction {
  const apiVersion = task.live?.apiVersion ?? task.apiVersion;
  return { type: 'remove-finalizer', id: `finalizer:${task.id}`, purpose: 'finalizer', taskId: task.id, key: task.key, apiVersion, finalizer };
}

/** A stage of one batch, or nothing when there is no action. */
export function stageOf(name: StageName, actions: Action[], when?: 'ok' | 'failed'): Stage[] {
  return actions.length === 0 ? [] : [{ name, batches: [actions], ...(when ? { when } : {}) }];
}
