/**
 * GET /api/applications/{name}/activity: what is happening to an Application now, for people. The
 * conditions that explain a refusal (render error with file and line, policy refusal), and the
 * running (or last) operation with its per-task results and a sentence that says what it waits for,
 * e.g. "wave 2 waits for Deployment/orders-grpc (Progressing: 1 of 2 updated replicas are available)"
 * (argo-cd#3516, #9721: Argo CD hides both).
 */
import type { HealthStatus } from '../health/types.ts';
import type { AppStatus, OperationRecord } from '../store/ports.ts';
import type { ResourceResult } from '../sync/state.ts';
import { requireApplication } from './applications.ts';
import type { ApiDeps } from './deps.ts';
import { operationView } from './views.ts';

interface Row { group?: string; kind?: string; namespace?: string | null; name?: string; phase?: string; wave?: number; hook?: boolean }

interface StoredResult {
  state?: { phase?: string; message?: string; retryCount?: number; results?: Record<string, ResourceResult> };
  health?: Record<string, HealthStatus | null>;
  loop?: { phase: string; wave?: number };
  owner?: string;
  execution?: string;
}

export interface TaskProgress {
  id: string;
  kind: string;
  namespace: string;
  name: string;
  syncPhase: string;
  wave: number | null;
  hookType: string;
  status: string;
  hookPhase: string;
  health: HealthStatus | null;
  message: string;
}

export interface Activity {
  conditions: NonNullable<AppStatus['conditions']>;
  reconciledAt: string | null;
  operation: (ReturnType<typeof operationView> & {
    retryCount: number;
    words: string;
    loop: { phase: string; wave?: number } | null;
    /** The Step Functions execution that ran it (its name: the execution view's key). */
    /** The sync's own execution of the sync state machine (GET /api/executions/{name}). */
    execution: { name: string } | null;
    tasks: TaskProgress[];
  }) | null;
}

const label = (t: { kind: string; name: string }) => `${t.kind}/${t.name}`;

/**
 * The sentence for a running or finished operation.
 * @example operationWords('Running', { phase: 'Sync', wave: 2 }, tasks, '') // 'wave 2 waits for Deployment/orders-grpc (Progressing: …)'
 */
export function operationWords(phase: string, loop: StoredResult['loop'] | null, tasks: readonly TaskProgress[], message: string): string {
  if (phase !== 'Running' && phase !== 'Terminating') return message || phase.toLowerCase();
  const hook = tasks.find((t) => t.hookType && t.hookPhase === 'Running');
  if (hook) return `${hook.hookType} hook ${label(hook)} is running${hook.message ? ` (${hook.message})` : ''}`;
  if (!loop) return message || 'starting';
  const where = loop.wave === undefined ? `${loop.phase} phase` : `wave ${loop.wave}`;
  const waiting = tasks.filter((t) => t.syncPhase === loop.phase && (loop.wave === undefined || t.wave === loop.wave) && t.health && t.health.status !== 'Healthy');
  if (waiting.length === 0) return `${where}${loop.wave === undefined ? '' : ` (${loop.phase})`}: applying`;
  const first = waiting[0];
  const more = waiting.length > 1 ? ` and ${waiting.length - 1} more` : '';
  return `${where} waits for ${label(first)} (${first.health!.status}${first.health!.message ? `: ${first.health!.message}` : ''})${more}`;
}

function tasksOf(result: StoredResult, rows: readonly Row[]): TaskProgress[] {
  const waveOf = (r: ResourceResult) => rows.find((row) => row.kind === r.kind && row.name === r.name && (row.namespace ?? '') === r.namespace)?.wave ?? null;
  return Object.entries(result.state?.results ?? {}).sort(([, a], [, b]) => a.order - b.order).map(([id, r]) => ({
    id, kind: r.kind, namespace: r.namespace, name: r.name, syncPhase: r.syncPhase, wave: waveOf(r), hookType: r.hookType,
    status: r.status, hookPhase: r.hookPhase, health: result.health?.[id] ?? null, message: r.message,
  }));
}

/** The operation as shown on the Application page. */
export function operationActivity(record: OperationRecord, rows: readonly Row[]): NonNullable<Activity['operation']> {
  const result = (record.result ?? {}) as StoredResult;
  const tasks = tasksOf(result, rows);
  const loop = result.loop ?? null;
  const name = typeof result.execution === 'string' ? result.execution : null;
  return {
    ...operationView(record),
    retryCount: record.retryCount ?? result.state?.retryCount ?? 0,
    words: operationWords(record.phase, loop, tasks, record.message ?? ''),
    loop,
    execution: name ? { name } : null,
    tasks,
  };
}

/** GET /api/applications/{name}/activity */
export async function applicationActivity(deps: ApiDeps, name: string): Promise<Activity> {
  await requireApplication(deps, name);
  const status = await deps.store.getStatus(name);
  const current = status?.operationState;
  const record = current?.syncId ? (await deps.store.getOperation(name, current.syncId)) ?? current : (await deps.store.listOperations(name))[0];
  return {
    conditions: status?.conditions ?? [],
    reconciledAt: status?.reconciledAt ?? null,
    operation: record ? operationActivity(record, (status?.resources ?? []) as Row[]) : null,
  };
}
