/**
 * How a sync's requests to its cluster say which writer lease they are made under: the User-Agent,
 * which Kubernetes' audit log records for every request. Kept apart from executions.ts so the wave
 * tasks' bundle carries no Step Functions client.
 */

/**
 * The User-Agent of a sync's cluster requests: the cluster, the fence of the writer lease the sync runs
 * under, and the sync. Kubernetes' audit log records it, so every write names the one writer it was
 * made for (docs/engine.md, "Never a second writer").
 * @example writerUserAgent({ cluster: 'dev', fence: 7 }, 'web-6ccfe74-1f0c…') // 'gitwave/sync (cluster=dev; fence=7; sync=web-6ccfe74-1f0c…)'
 */
export function writerUserAgent(guard: { cluster: string; fence: number }, syncId: string): string {
  return `gitwave/sync (cluster=${guard.cluster}; fence=${guard.fence}; sync=${syncId})`;
}

/** The lease a `writerUserAgent` names; undefined for any other User-Agent. */
export function leaseOfUserAgent(userAgent: string): { cluster: string; fence: number; syncId: string } | undefined {
  const match = /^gitwave\/sync \(cluster=([^;]+); fence=(\d+); sync=([^)]+)\)$/.exec(userAgent);
  return match ? { cluster: match[1], fence: Number(match[2]), syncId: match[3] } : undefined;
}
