/**
 * How a sync request reaches its cluster's writer without polling (docs/engine.md, "No lost
 * wake-up"): the request is recorded as the app's pending sync and moves the cluster's request
 * sequence (shared/store/pending.ts); if the lock item then shows no live writer, a writer is started
 * under a name derived from cluster and sequence. A live writer needs no call: its release is
 * conditional on the sequence its last claim saw, so it claims again and finds the request.
 */
import type { Cluster } from '../model/cluster.ts';
import type { PendingSync } from '../store/ports.ts';
import { DEFAULT_CLUSTER_CONCURRENCY, type WriterExecutionInput } from './contracts.ts';
import type { EngineDeps } from './deps.ts';
import { writerExecutionName } from './executions.ts';

export interface WokenWriter {
  /** The writer execution started for this request; absent when a live writer will see it. */
  executionArn?: string;
  seq: number;
}

/** The writer's input for a registered cluster. */
export function writerInput(cluster: Cluster): WriterExecutionInput {
  return { cluster: cluster.name, concurrency: cluster.concurrency ?? DEFAULT_CLUSTER_CONCURRENCY };
}

/**
 * Records the request and makes sure a writer will run it.
 * @example await requestSync(deps, cluster, { app: 'web', syncId, planKey, revision, requestedAt }) // { seq: 12, executionArn: '…:dev-writer-12' }
 */
export async function requestSync(deps: Pick<EngineDeps, 'store' | 'executions' | 'log'>, cluster: Cluster, pending: PendingSync): Promise<WokenWriter> {
  if (!deps.executions) throw new Error('a sync request needs an executions port to start a writer');
  const requested = await deps.store.requestSync(cluster.name, pending);
  if (requested.writerLive) return { seq: requested.seq };
  const started = await deps.executions.start(writerExecutionName(cluster.name, requested.seq), writerInput(cluster));
  deps.log?.('info', started.started ? 'cluster writer started' : 'cluster writer already started', { cluster: cluster.name, seq: requested.seq });
  return { seq: requested.seq, executionArn: started.executionArn };
}
