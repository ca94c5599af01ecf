/**
 * What the sync engine is given: the ports it works through. Handlers get them from
 * shared/lambda/runtime.ts (built once per process, from the environment); tests and the local
 * runtime plug real local servers in behind the same ports.
 */
import type { Cluster } from '../model/cluster.ts';
import type { ClusterClient } from '../kube/index.ts';
import type { Store } from '../store/ports.ts';
import type { TickOptions } from '../sync/decision.ts';
import { DEFAULT_LOCK_LEASE_SECONDS } from '../config/resources.ts';
import type { BlobStore } from './blob-store.ts';
import type { Executions } from './executions.ts';
import type { Notifier } from './notifier.ts';
import type { RequestStore } from './requests.ts';
import type { RequestQueue } from './request-queue.ts';

/**
 * A client for a registered cluster. `syncId` names the assumed-role session of a deploy; the
 * connector may cache clients, so the engine never closes them.
 */
export type ClusterConnector = (cluster: Cluster, options: { purpose: 'deploy' | 'read'; syncId?: string }) => Promise<ClusterClient>;

/** Structured log lines; secret-free by construction (ids, keys and messages only). */
export type EngineLog = (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;

export interface EngineDeps {
  store: Store;
  blobs: BlobStore;
  connect: ClusterConnector;
  /** Manual sync and rollback options, by request id (plan step only). */
  requests?: RequestStore;
  /** Starts the sync state machine (plan step only). */
  executions?: Executions;
  /** Sync notifications (record step; optional). */
  notifier?: Notifier;
  /** Asks for a child Application's first render as soon as a parent registers it (optional: the drift sweep notices it too). */
  queue?: RequestQueue;
  /** Cluster lock lease; default DEFAULT_LOCK_LEASE_SECONDS. */
  leaseMs?: number;
  /** Epoch milliseconds; default Date.now. */
  now?: () => number;
  tickOptions?: TickOptions;
  log?: EngineLog;
}

export const leaseOf = (deps: Pick<EngineDeps, 'leaseMs'>): number => deps.leaseMs ?? DEFAULT_LOCK_LEASE_SECONDS * 1000;
export const nowOf = (deps: Pick<EngineDeps, 'now'>): number => (deps.now ?? Date.now)();
