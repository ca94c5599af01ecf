/**
 * The messages between gitwave's moving parts: the request queue, the render → plan hand-over, the
 * sync state machine's task inputs and outputs, and the janitor and drift triggers. The CDK stack, the
 * handlers and the local runtime all import these types, so the state machine and the functions it
 * invokes cannot drift apart. Everything here stays small: ids and S3 keys only. Plans, manifests and
 * tokens never travel in a message or an execution payload (SECURITY.md §4, §5); they live in S3 and
 * DynamoDB and are re-read by each step.
 */

/** Sync phases in the order the state machine walks them; `SyncFail` runs only after a failure. */
export const SYNC_PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type SyncPhase = (typeof SYNC_PHASES)[number] | 'SyncFail';

// ── Request queue (SQS FIFO `gitwave-requests.fifo`) ────────────────────────────────────────────

/** Who asked for a sync. */
export type SyncTrigger = 'webhook' | 'drift' | 'selfHeal' | 'manual';

/**
 * One request to sync one Application, as put on the FIFO queue (MessageGroupId = app,
 * MessageDeduplicationId = hash of app + sha). The commit is a hint: render reads the registered
 * repository again and never trusts a URL from here. Manual syncs carry only `requestId`; their
 * options (revision, prune, dry-run, overrides) are stored by the api λ under that id.
 */
export interface SyncRequestMessage {
  app: string;
  /** Commit named by the trigger (the pushed sha), if any. */
  sha?: string;
  /** Exact ref (`refs/heads/main`, `refs/tags/v1`) named by the trigger, if any. */
  ref?: string;
  /** `X-GitHub-Delivery` of the push that caused it. */
  deliveryId?: string;
  /** Defaults to `webhook` when a delivery id is present, else `drift`. */
  trigger?: SyncTrigger;
  /** Operation request stored by the api λ (manual sync, rollback). */
  requestId?: string;
}

// ── render λ → plan λ (synchronous invoke, so a failed plan leaves the message on the queue) ────

export interface PlanRequest {
  app: string;
  /** The full commit SHA render resolved from Git. */
  revision: string;
  /** S3 key of the render: `rendered/<hash>.json`. */
  renderKey: string;
  trigger: SyncTrigger;
  requestId?: string;
}

export interface PlanResult {
  app: string;
  /** `started`: an execution runs the plan; `inSync`: nothing to do; `planned`: recorded, not started (no auto-sync). */
  outcome: 'started' | 'inSync' | 'planned';
  syncId?: string;
  executionArn?: string;
}

// ── The sync state machine ──────────────────────────────────────────────────────────────────────

/** Input of one execution, started by the plan λ with a name derived from app + revision + request. */
export interface SyncExecutionInput {
  app: string;
  cluster: string;
  syncId: string;
  /** S3 key of the plan: `plans/<app>/<syncId>.json`. */
  planKey: string;
  revision: string;
}

/** `$.lock` after `Acquire cluster lock`; `attempt` counts the tries so the wait loop stays bounded. */
export interface LockState {
  acquired: boolean;
  /** The attempt number the state machine passed in, echoed back. */
  attempt: number;
  /** The fencing token, when acquired (only grows, SECURITY.md §4). */
  fence?: number;
  /** The execution holding the lock, when not acquired. */
  holder?: string;
}

/** Owner is always the execution id (`$$.Execution.Id`), so a retried task re-acquires its own lock. */
export interface AcquireLockInput {
  action: 'acquire';
  cluster: string;
  syncId: string;
  owner: string;
  /** 1 for the first try; the state machine counts. */
  attempt: number;
}

export interface ReleaseLockInput {
  action: 'release';
  cluster: string;
  owner: string;
  fence: number;
}

export type LockTaskInput = AcquireLockInput | ReleaseLockInput;
export type AcquireLockResult = LockState;
export interface ReleaseLockResult {
  /** False when the lock was no longer ours (lease taken over): nothing was changed. */
  released: boolean;
}

/** Input of every apply/check task: one bounded, idempotent tick of one phase. */
export interface WaveTaskInput {
  app: string;
  cluster: string;
  syncId: string;
  planKey: string;
  owner: string;
  fence: number;
  phase: SyncPhase;
}

/**
 * What a tick decided, read by the phase's Choice state:
 * - `progressing`: wait, then check again;
 * - `waveDone`: the current wave is complete, apply the next one of this phase;
 * - `phaseDone`: no pending group is left in this phase (or the phase has none), go to the next phase;
 * - `failed`: the phase failed (SPEC-sync §2.6); details are in the recorded operation state.
 */
export type WaveStatus = 'progressing' | 'waveDone' | 'phaseDone' | 'failed';

/** `$.tick` after an apply or check task. */
export interface WaveTaskResult {
  status: WaveStatus;
  /** The wave just applied or checked. */
  wave?: number;
  /** Short, secret-free reason (`waiting for healthy state of apps/Deployment/web/api`). */
  message?: string;
}

/**
 * Error names a wave task throws when trying again may succeed (a cluster API blip that outlasted the
 * client's own retries, SECURITY.md §6): the state machine retries the idempotent task on them.
 * Permanent cluster errors never surface this way: they fail the resource inside the tick.
 */
export const TRANSIENT_TASK_ERRORS = ['TransientClusterError'];

/** A caught error as Step Functions puts it in `$.error` (`Error`, `Cause`). */
export interface StepError {
  Error: string;
  Cause?: string;
}

/** Input of `Record sync` / `Record failure`: writes status and history, conditional on the fence. */
export interface RecordTaskInput {
  app: string;
  cluster: string;
  syncId: string;
  owner: string;
  fence: number;
  outcome: 'Succeeded' | 'Failed';
  error?: StepError;
}

export interface RecordTaskResult {
  /** False when the fence was stale: a newer holder owns the cluster and nothing was written. */
  recorded: boolean;
  /**
   * Present when the failed attempt is retried (SPEC-sync §6): the state machine keeps the lock, waits
   * `waitSeconds`, then runs the sync phases again for attempt number `attempt`.
   */
  retry?: { attempt: number; waitSeconds: number; at: string };
}

/** The execution's state document (`$`) as it grows along the way. */
export interface SyncExecutionState extends SyncExecutionInput {
  lock: LockState;
  tick?: WaveTaskResult;
  error?: StepError;
}

// ── janitor λ and drift λ ───────────────────────────────────────────────────────────────────────

/** The part of EventBridge's "Step Functions Execution Status Change" detail the janitor reads. */
export interface ExecutionStatusChangeDetail {
  executionArn: string;
  stateMachineArn: string;
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  /** The execution input as a JSON string (a `SyncExecutionInput`). */
  input?: string | null;
}

export interface JanitorResult {
  /** True when a lock still owned by the execution was released. */
  released: boolean;
  cluster?: string;
  /** True when the execution's still-Running operation record was marked Aborted. */
  operationAborted?: boolean;
  /** True when the Application status still showed that operation Running and now shows it ended (Error). */
  statusEnded?: boolean;
  /** Why nothing was done (the event named no sync). */
  skipped?: string;
}

/** The fixed input EventBridge Scheduler sends to the drift λ. */
export interface DriftScheduleInput {
  trigger: 'schedule';
}

export interface DriftResult {
  clusters: number;
  /** Sync requests queued (selfHeal Applications, new commits without a webhook). */
  requested: number;
}

// ── State names a person sees in the console (and the local runtime binds) ──────────────────────

export const STATE_NAMES = {
  start: 'Start sync',
  acquireLock: 'Acquire cluster lock',
  lockAcquired: 'Cluster lock acquired?',
  waitForLock: 'Wait for cluster lock',
  lockNotAcquired: 'Cluster lock not acquired',
  trySync: 'Run sync phases',
  recordSync: 'Record sync',
  recordFailure: 'Record failure',
  retryDue: 'Retry sync?',
  waitToRetry: 'Wait to retry sync',
  retrySync: 'Retry sync',
  releaseLock: 'Release cluster lock',
  finished: 'Sync finished?',
  succeeded: 'Synced',
  failed: 'Sync failed',
} as const;

/** The states of one phase loop: apply → Choice → Wait → check → Choice … */
export function phaseStateNames(phase: SyncPhase) {
  return {
    enter: phase,
    apply: `${phase}: apply wave`,
    decide: `${phase}: next step?`,
    wait: `${phase}: wait for wave`,
    check: `${phase}: check wave`,
    failed: `${phase}: wave failed`,
  } as const;
}
