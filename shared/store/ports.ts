/**
 * What handlers need from the state store, as small interfaces (ports). shared/store implements them
 * on DynamoDB; handler tests may pass in-memory fakes. Times are ISO strings in records and epoch
 * milliseconds for the lock lease.
 */
import type { Application, ApplicationSource } from '../model/application.ts';
import type { AppProject } from '../model/appproject.ts';
import type { Cluster } from '../model/cluster.ts';
import type { HealthStatus } from '../health/types.ts';

/** Proof of holding a cluster lock: every fenced write is checked against it. */
export interface LockGuard {
  cluster: string;
  owner: string;
  fence: number;
}

export interface LockHolder {
  owner: string;
  fence: number;
  leaseUntil: number;
  syncId?: string;
}

export type AcquireResult =
  | { acquired: true; fence: number; leaseUntil: number }
  | { acquired: false; holder?: LockHolder };

/** The cluster lock of SECURITY.md §4: one writer per cluster, a fence that only grows. */
export interface ClusterLock {
  /** Take the lock (or re-take our own); the fence grows on every success. */
  acquire(cluster: string, owner: string, options: { syncId: string; leaseMs: number }): Promise<AcquireResult>;
  /** Extend the lease; throws LockLostError when owner or fence moved on. Returns the new leaseUntil. */
  renew(guard: LockGuard, options: { leaseMs: number }): Promise<number>;
  /** Free the lock if still ours (owner and fence); false when it was not. Never deletes the item. */
  release(guard: LockGuard): Promise<boolean>;
  /** The janitor's release: owner-conditional only (it does not know the fence). */
  releaseAbandoned(cluster: string, owner: string): Promise<boolean>;
  /** The current state (strongly consistent); undefined when the lock was never taken. */
  read(cluster: string): Promise<(Partial<LockHolder> & { fence: number; held: boolean }) | undefined>;
}

/** The newest sync requested for one Application of a cluster, waiting for the cluster's writer. */
export interface PendingSync {
  app: string;
  syncId: string;
  /** S3 key of the plan: `plans/<app>/<syncId>.json`. */
  planKey: string;
  revision: string;
  /** ISO time of the request; a claim returns the oldest first. */
  requestedAt: string;
  /**
   * How many times this sync gave its place back to child Applications it waits for (app of apps,
   * docs/app-of-apps.md): the next run is a new child execution, so its name carries the count.
   */
  resumes?: number;
  /** It gave its place back and no claim has taken it again yet: it is not running now. */
  parked?: boolean;
}

/** A sync a writer's round ran: its id, and which run of it (`resumes` when that run started, 0 for the first). */
export interface FinishedSync {
  app: string;
  syncId: string;
  resumes?: number;
}

/** What a request found on the lock item right after it moved the request sequence. */
export interface RequestedSync {
  seq: number;
  owner?: string;
  /** A writer holds the cluster with a lease not yet expired: it will see the request (pending.ts). */
  writerLive: boolean;
}

export interface ClaimedRequests {
  /** The request sequence when the claim renewed the lease; the release is conditional on it. */
  seq: number;
  requests: PendingSync[];
}

/** The cluster's queue of pending syncs, drained by its one writer (shared/store/pending.ts). */
export interface SyncQueue {
  /** Records the app's newest request (replacing an older one), then moves the cluster's request sequence. */
  requestSync(cluster: string, pending: PendingSync): Promise<RequestedSync>;
  /** Renews the writer's lease (throws LockLostError when it is no longer the writer) and reads what is pending. */
  claimPending(guard: LockGuard, options: { leaseMs: number }): Promise<ClaimedRequests>;
  /**
   * Removes the pending items of syncs that ended, each only while it names that sync and that run
   * (`resumes`: a sync that gave its place back to its children stays for the next round); answers how many.
   */
  finishPending(cluster: string, done: ReadonlyArray<FinishedSync>): Promise<number>;
  /**
   * Keeps a running sync in the queue for the writer's next round, parked (it waits for children
   * queued behind it); answers its new `resumes`, or undefined when a newer request replaced it.
   */
  parkPending(cluster: string, app: string, syncId: string): Promise<number | undefined>;
  getPending(cluster: string, app: string): Promise<PendingSync | undefined>;
  /** How many syncs are pending on the cluster. */
  pendingCount(cluster: string): Promise<number>;
  /** Frees the lock if still the guard's and the request sequence is still `seq`. */
  releaseIfIdle(guard: LockGuard, seq: number): Promise<boolean>;
}

export interface StoredApplication {
  app: Application;
  /** The YAML as registered, shown back to people. */
  sourceYaml?: string;
  /** The exact ref the webhook lookup uses (`refs/heads/main`, `refs/tags/v1`, `HEAD`); absent for a SHA. */
  trackedRef?: string;
  /** The parent Application that registered this one from its manifests (app of apps); absent when a person did. */
  parent?: string;
  updatedAt: string;
}

export interface RegistryStore {
  putApplication(app: Application, options?: { sourceYaml?: string; trackedRef?: string; parent?: string }): Promise<void>;
  getApplication(name: string): Promise<StoredApplication | undefined>;
  /** Every Application; `withoutSourceYaml` leaves the YAML as written out (lists need only the spec). */
  listApplications(options?: { withoutSourceYaml?: boolean }): Promise<StoredApplication[]>;
  deleteApplication(name: string): Promise<void>;
  /** Applications following exactly `ref` in any of the repositories (normalised or not). */
  findApplications(repositoryKeys: string[], ref: string): Promise<Array<{ name: string }>>;
  putProject(project: AppProject): Promise<void>;
  /** The stored project; `default` falls back to DEFAULT_PROJECT when none is registered. */
  getProject(name: string): Promise<AppProject | undefined>;
  listProjects(): Promise<AppProject[]>;
  putCluster(cluster: Cluster): Promise<void>;
  getCluster(name: string): Promise<Cluster | undefined>;
  listClusters(): Promise<Cluster[]>;
  /** What discovery last said about a cluster (the plan step writes it; the render step gives it to helm). */
  putClusterCapabilities(cluster: string, capabilities: StoredCapabilities): Promise<void>;
  getClusterCapabilities(cluster: string): Promise<StoredCapabilities | undefined>;
}

export interface StoredCapabilities {
  kubeVersion: string;
  apiVersions: string[];
  /** ISO time of the discovery. */
  observedAt: string;
}

export type SyncStatusCode = 'Synced' | 'OutOfSync' | 'Unknown';

export interface AppStatus {
  sync?: { status: SyncStatusCode; revision?: string };
  health?: HealthStatus;
  operationState?: OperationRecord;
  /** Per-resource status as the api λ shows it (shape owned by the sync/diff code). */
  resources?: unknown[];
  conditions?: Array<{ type: string; message: string; lastTransitionTime?: string }>;
  reconciledAt?: string;
  /** Where the last desired state is (S3 key of the render), for the drift sweep. */
  desiredKey?: string;
  /**
   * Grows by one with every comparison or sync outcome written (store/status.ts): a comparison is
   * written only over the status it was made from, never over a newer one. Set by the store only.
   */
  comparedSeq?: number;
}

/** What a list row shows of a status (store/status-summaries.ts). */
export interface StatusSummary {
  sync?: AppStatus['sync'];
  health?: AppStatus['health'];
  operationState?: Pick<OperationRecord, 'syncId' | 'phase' | 'message' | 'startedAt' | 'finishedAt'>;
}

export interface StatusStore {
  getStatus(app: string): Promise<AppStatus | undefined>;
  /** The list fields of many statuses in a few batched reads (eventually consistent); no status, no entry. */
  getStatusSummaries(apps: readonly string[]): Promise<Map<string, StatusSummary>>;
  /** Many whole statuses in a few batched, strongly consistent reads (the drift sweep's); no status, no entry. */
  getStatuses(apps: readonly string[]): Promise<Map<string, AppStatus>>;
  /** A sync's status write: only while `guard` still holds the lock (else LockLostError). */
  writeStatus(app: string, patch: AppStatus, guard: LockGuard): Promise<void>;
  /**
   * A comparison's write (plan step, drift sweep, refused render), whether or not a sync holds the
   * cluster: made only if no other comparison or sync outcome was written since `basis` (the status
   * the comparison started from) was read. False when one was: compare again from a fresh read.
   */
  writeObservedStatus(app: string, patch: AppStatus, basis: Pick<AppStatus, 'comparedSeq'> | undefined): Promise<boolean>;
  /**
   * A sync's outcome (resources, health, sync), fenced like writeStatus, and made only while the
   * status still compares against the operation's `revision`: a comparison of a newer commit, made
   * while this sync ran, is not overwritten. False when it was not made.
   */
  writeOutcomeStatus(app: string, patch: AppStatus, guard: LockGuard, revision: string): Promise<boolean>;
  /**
   * The janitor's write (no lock: the execution that held it is gone): end the status's operation
   * state with `ending`, only while it still shows operation `syncId` Running. False otherwise.
   */
  endOperationState(app: string, syncId: string, ending: { phase: 'Failed' | 'Error'; message: string }): Promise<boolean>;
}

export type OperationPhase = 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminated' | 'Aborted';

/** One sync attempt, failed and aborted ones included (SPEC-sync, deliberate differences). */
export interface OperationRecord {
  syncId: string;
  app: string;
  phase: OperationPhase;
  message?: string;
  revision: string;
  source: ApplicationSource;
  dryRun: boolean;
  prune: boolean;
  /** A sync of chosen resources only (selfHeal, `--resource`): never enters history. */
  selective: boolean;
  /** False for one-off overrides (image tag…): recorded in history as not from Git. */
  fromGit: boolean;
  initiatedBy: { username?: string; automated?: boolean };
  startedAt: string;
  finishedAt?: string;
  retryCount?: number;
  /** Per-resource results and anything else the sync code records. */
  result?: Record<string, unknown>;
}

export interface HistoryEntry {
  id: number;
  revision: string;
  source: ApplicationSource;
  deployedAt: string;
  deployStartedAt: string;
  initiatedBy: { username?: string; automated?: boolean };
  syncId: string;
  fromGit: boolean;
}

export interface OperationStore {
  /** Record (or update) an attempt, fenced. */
  putOperation(record: OperationRecord, guard: LockGuard): Promise<void>;
  /**
   * Record the final state of an attempt, fenced, and in the same transaction append a history entry
   * when it is a Succeeded, non-dry-run, non-selective sync, trimming history to `revisionHistoryLimit`.
   * `status`, when given, is written in the same transaction. Returns the new history id, if any.
   */
  finishOperation(record: OperationRecord, guard: LockGuard, options: { revisionHistoryLimit: number; status?: AppStatus }): Promise<number | undefined>;
  /** The janitor: mark a still-Running attempt Aborted (no lock needed; the holder is gone). */
  markOperationAborted(app: string, syncId: string, message: string): Promise<boolean>;
  getOperation(app: string, syncId: string): Promise<OperationRecord | undefined>;
  /** Newest first. */
  listOperations(app: string): Promise<OperationRecord[]>;
  /** Oldest first (ids ascending), as Argo CD shows history. */
  listHistory(app: string): Promise<HistoryEntry[]>;
}

export interface DeliveryStore {
  isDuplicateDelivery(deliveryId: string): Promise<boolean>;
  /** Conditional put: true when recorded now, false when it was already there. */
  recordDelivery(deliveryId: string, info?: { event?: string; repository?: string; ref?: string }): Promise<boolean>;
}

export type Store = ClusterLock & SyncQueue & RegistryStore & StatusStore & OperationStore & DeliveryStore;
