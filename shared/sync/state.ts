/**
 * The persisted operation state (SPEC-sync §1.8): phase, message, start, revision, retry count and
 * one result per task keyed `group/kind/namespace/name:phase`. Ticks share nothing else, so every
 * decision is rebuilt from this plus the manifests and the live objects.
 */
import type { HookType, SyncPhase } from '../model/annotations.ts';
import { versionOf, type KubeObject } from '../model/object.ts';
import type { PlanSettings, SyncTask } from './types.ts';

/** Phases of an operation. Running and Terminating continue; the others are final. */
export type OperationPhase = 'Running' | 'Terminating' | 'Succeeded' | 'Failed' | 'Error';

/** What happened to one task's object: applied, failed, pruned, or prune skipped. */
export type ResultStatus = 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';

/** The result of one task. `hookPhase` is the task's own state ("" = not run yet). */
export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: ResultStatus | '';
  hookPhase: OperationPhase | '';
  /** The phase for hooks, "" for resources. */
  hookType: HookType | '';
  syncPhase: SyncPhase;
  message: string;
  images: string[];
  /** Results are listed in the order they were first touched. */
  order: number;
}

/** The state that one tick hands to the next. */
export interface OperationState {
  phase: OperationPhase;
  message: string;
  /** Operation start, unix seconds (names generateName hooks; gates Prune=confirm). */
  startedAt: number;
  finishedAt?: number;
  /** The resolved revision the operation syncs to. */
  revision: string;
  retryCount: number;
  /** Set by `requestTermination`: a terminated operation is never retried. */
  terminated?: boolean;
  results: Record<string, ResourceResult>;
}

/**
 * The state of a new operation.
 * @example startOperation('6ccfe74aa', 1650650648) // { phase: 'Running', message: '', startedAt: 1650650648, … }
 */
export function startOperation(revision: string, startedAt: number): OperationState {
  return { phase: 'Running', message: '', startedAt: Math.floor(startedAt), revision, retryCount: 0, results: {} };
}

/** Whether the operation is over. */
export function isFinal(phase: OperationPhase): boolean {
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Error';
}

/** The plan settings with the operation's persisted revision and start. */
export function settingsFor(settings: PlanSettings, state: OperationState): PlanSettings {
  return { ...settings, revision: state.revision, startedAt: state.startedAt };
}

/** Results in the order they were first touched. */
export function resultsInOrder(state: OperationState): ResourceResult[] {
  return Object.values(state.results).sort((a, b) => a.order - b.order);
}

const CONTAINER_PATHS = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];

/** The container images an object runs (Pods, pod templates, CronJobs). */
function imagesOf(obj: KubeObject | undefined): string[] {
  const images = new Set<string>();
  for (const path of CONTAINER_PATHS) {
    let node: unknown = obj;
    for (const p of path) node = (node as Record<string, unknown> | undefined)?.[p];
    for (const list of ['initContainers', 'containers']) {
      const containers = (node as Record<string, unknown> | undefined)?.[list];
      if (Array.isArray(containers)) for (const c of containers) if (typeof c?.image === 'string') images.add(c.image);
    }
  }
  return [...images];
}

/**
 * Record a task's result in place. A non-empty message replaces the previous one; an existing result
 * keeps its order.
 */
export function setResult(state: OperationState, task: SyncTask, status: ResultStatus | '', phase: OperationPhase | '', message = ''): void {
  const existing = state.results[task.id];
  const obj = task.target ?? task.live;
  state.results[task.id] = {
    group: task.key.group,
    version: versionOf(task.apiVersion),
    kind: task.key.kind,
    namespace: task.key.namespace,
    name: task.key.name,
    status,
    hookPhase: phase,
    hookType: task.hook ? task.phase : '',
    syncPhase: task.phase,
    message: message || existing?.message || '',
    images: imagesOf(obj),
    order: existing?.order ?? Object.keys(state.results).length + 1,
  };
}

/** A deep copy, so that a tick never changes the state it was given. */
export function cloneState(state: OperationState): OperationState {
  return structuredClone(state);
}
