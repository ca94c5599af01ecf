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

// ── The cluster's writer and the sync state machine ────────────────────────────────────────────

/**
 * Input of one execution of the writer state machine (one writer per cluster, docs/engine.md): started
 * by the plan λ (or the janitor) when a request finds no live writer, named `<cluster>-<seq>`.
 */
export interface WriterExecutionInput {
  cluster: string;
  /** Syncs run at once (the Map's MaxConcurrency): the registered Cluster's `concurrency`, default 10. */
  concurrency: number;
}

/** Syncs a writer runs at once unless the Cluster says otherwise (Argo CD's default operation processors). */
export const DEFAULT_CLUSTER_CONCURRENCY = 10;

/**
 * Input of one execution of the sync state machine: one Application's operation, started by its
 * cluster's writer as a child execution named `<app>-<rev7>-<hash>-w<fence>`. It runs under the
 * writer's lease: every fenced write checks `owner` and `fence`.
 */
export interface SyncExecutionInput {
  app: string;
  cluster: string;
  syncId: string;
  /** S3 key of the plan: `plans/<app>/<syncId>.json`. */
  planKey: string;
  revision: string;
  /** The writer execution that holds the cluster lock. */
  owner: string;
  /** Its fencing token. */
  fence: number;
}

/** `$.lock` after `Acquire cluster lock` (the writer's first state). */
export interface LockState {
  acquired: boolean;
  /** The attempt number the state machine passed in, echoed back. */
  attempt: number;
  /** The fencing token, when acquired (only grows, SECURITY.md §4). */
  fence?: number;
  /** The execution holding the lock, when not acquired. */
  holder?: string;
}

/** Owner is always the writer's execution id (`$$.Execution.Id`), so a retried task re-acquires its own lock. */
export interface AcquireLockInput {
  action: 'acquire';
  cluster: string;
  syncId: string;
  owner: string;
  /** 1 for the first try. */
  attempt: number;
}

/** `Claim pending syncs`: forget the syncs that ended, renew the lease, read what is pending. */
export interface ClaimInput {
  action: 'claim';
  cluster: string;
  owner: string;
  fence: number;
  /** The syncs the last round ran (the Map's output), ended one way or the other, each with the run it was (`resumes`). */
  done?: Array<{ app: string; syncId: string; resumes?: number }>;
  /** History events the writer has spent so far, as the last claim estimated them (0 at the start). */
  spent?: number;
  /** History events a writer may spend before it hands over; default WRITER_EVENT_BUDGET (tests make it small). */
  eventBudget?: number;
}

/**
 * History events one writer execution spends before it hands over to a fresh one: Step Functions
 * stops a Standard execution at 25,000 events; the rest is margin for retried tasks.
 */
export const WRITER_EVENT_BUDGET = 20_000;

/** One child execution the writer's Map starts. */
export interface ChildSync extends SyncExecutionInput {
  /** Its execution name: app, short revision, request hash, the writer's fence and, for a resumed sync, its run. */
  name: string;
  /** How many times the sync gave its place back to child Applications it waits for (0: its first run). */
  resumes: number;
}

/** `$.claim` after a claim: the request sequence it saw, and the syncs to run in this round. */
export interface ClaimResult {
  seq: number;
  syncs: ChildSync[];
  /** History events spent by the writer once this round has run (an estimate, see lock-task.ts). */
  spent: number;
  /** True when running `syncs` would take the writer past its event budget: it ends, still holding the lock, and the janitor starts a fresh writer. */
  handOver: boolean;
}

/** With `seq` (the writer's release) the lock is freed only if no request came since that claim. */
export interface ReleaseLockInput {
  action: 'release';
  cluster: string;
  owner: string;
  fence: number;
  seq?: number;
}

export type LockTaskInput = AcquireLockInput | ClaimInput | ReleaseLockInput;
export type AcquireLockResult = LockState;
export interface ReleaseLockResult {
  /** False when the lock was no longer ours, or a request came since the claim: nothing was changed. */
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
/**
 * `yield`: the wave waits for child Applications queued behind it on its own cluster, which the
 * writer runs only in its next round; the execution ends and the next round resumes the sync.
 */
export type WaveStatus = 'progressing' | 'waveDone' | 'phaseDone' | 'failed' | 'yield';

/** The error a phase loop ends with when its sync gives its place back to its children (caught: the execution succeeds). */
export const YIELD_ERROR = 'gitwave.YieldToChildren';

/** Where the phase loop's Wait reads how long to wait before the next check (`$.tick.nextCheckSeconds`). */
export const NEXT_CHECK_FIELD = 'nextCheckSeconds';

/** `$.tick` after an apply or check task. */
export interface WaveTaskResult {
  status: WaveStatus;
  /**
   * With `progressing`: whole seconds before the next check, chosen from what is still pending (0
   * right after an apply: check at once). The Wait state's SecondsPath reads it.
   */
  nextCheckSeconds?: number;
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

/** The state machine's Retry on TRANSIENT_TASK_ERRORS: the first wait up to 10 s (full jitter), doubling, 3 retries. */
export const TRANSIENT_TASK_RETRY = { intervalSeconds: 10, maxAttempts: 3, backoffRate: 2 } as const;

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
  tick?: WaveTaskResult;
  error?: StepError;
}

// ── janitor λ and drift λ ───────────────────────────────────────────────────────────────────────

/** The part of EventBridge's "Step Functions Execution Status Change" detail the janitor reads. */
export interface ExecutionStatusChangeDetail {
  executionArn: string;
  stateMachineArn: string;
  /** SUCCEEDED reaches the janitor for writers only (a writer that handed over ends holding the lock). */
  status: 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'SUCCEEDED';
  /** The execution input as a JSON string (a `SyncExecutionInput` or a `WriterExecutionInput`). */
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
  /** A dead writer's queue handed on: the writer execution started for the syncs still pending. */
  writerStarted?: string;
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

export const WRITER_STATE_NAMES = {
  acquireLock: 'Acquire cluster lock',
  lockAcquired: 'Cluster lock acquired?',
  otherWriter: 'Another writer holds the cluster',
  claim: 'Claim pending syncs',
  anyPending: 'Any sync pending?',
  start: 'Start writer',
  syncApps: 'Sync Applications',
  syncApp: 'Sync Application',
  appSynced: 'Application synced',
  appSyncFailed: 'Application sync failed',
  handOver: 'Hand over to a fresh writer',
  release: 'Release cluster lock if idle',
  released: 'Released?',
  done: 'Cluster idle',
} as const;

export const STATE_NAMES = {
  start: 'Start sync',
  trySync: 'Run sync phases',
  recordSync: 'Record sync',
  recordFailure: 'Record failure',
  retryDue: 'Retry sync?',
  waitToRetry: 'Wait to retry sync',
  retrySync: 'Retry sync',
  finished: 'Sync finished?',
  succeeded: 'Synced',
  failed: 'Sync failed',
  yielded: 'Resume after child Applications',
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
    yield: `${phase}: wait for child Applications`,
  } as const;
}
