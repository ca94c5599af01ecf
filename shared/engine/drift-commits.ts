/**
 * New commits without a webhook (DESIGN.md, drift λ): the sweep resolves each Application's
 * targetRevision in its registered repository (one look per repository and revision) and queues a
 * render when the commit is neither the last synced one nor the one last rendered, which also
 * catches pushes whose webhook was lost or refused (SECURITY.md §7 row 4). The request carries the
 * same dedupe id as the push's would (app + sha), so a webhook and the sweep queue it once.
 * Applications pinned to a SHA follow nothing; a commit the render step refused is not asked again.
 */
import { isFullSha, SourceError, type RevisionResolver } from '../source/index.ts';
import type { EngineLog } from './deps.ts';
import type { SweepEntry } from './drift-snapshot.ts';
import { mapLimit } from './live.ts';
import type { QueuedRequest } from './request-queue.ts';
import { isRenderRefusal } from './render-request.ts';

/** Git hosts asked at once. */
const RESOLVE_CONCURRENCY = 4;

type Resolved = { sha: string } | { unavailable: string } | { failed: string };

/**
 * The render requests for Applications whose revision moved.
 * @example const requests = await noticeNewCommits(source, entries);
 */
export async function noticeNewCommits(source: RevisionResolver, entries: readonly SweepEntry[], log?: EngineLog): Promise<QueuedRequest[]> {
  const following = entries.filter((e) => e.stored.trackedRef !== undefined && !isFullSha(e.stored.app.spec.source.targetRevision));
  const targets = [...new Set(following.map(targetOf))];
  const answers = await mapLimit(targets, RESOLVE_CONCURRENCY, (target) => resolve(source, target));
  const resolved = new Map(targets.map((t, i) => [t, answers[i]]));
  const requests: QueuedRequest[] = [];
  for (const entry of following) {
    const request = requestFor(entry, resolved.get(targetOf(entry))!, log);
    if (request) requests.push(request);
  }
  return requests;
}

function targetOf(entry: SweepEntry): string {
  const { repoURL, targetRevision } = entry.stored.app.spec.source;
  return JSON.stringify([repoURL, targetRevision]);
}

async function resolve(source: RevisionResolver, target: string): Promise<Resolved> {
  const [repoURL, revision] = JSON.parse(target) as [string, string];
  try {
    return { sha: await source.resolveRevision(repoURL, revision) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return error instanceof SourceError && !error.retryable ? { unavailable: message } : { failed: message };
  }
}

function requestFor(entry: SweepEntry, resolved: Resolved, log?: EngineLog): QueuedRequest | undefined {
  const app = entry.stored.app.metadata.name;
  const conditions = entry.status?.conditions ?? [];
  if ('failed' in resolved) {
    log?.('warn', 'revision not resolved; the next sweep tries again', { app, reason: resolved.failed });
    return undefined;
  }
  if ('unavailable' in resolved) {
    // Let the render step record "source unavailable" once; it stays until the source is back.
    if (conditions.some((c) => isRenderRefusal(c) && c.message.includes('source unavailable'))) return undefined;
    return { message: { app, trigger: 'drift' }, dedupeKey: 'source-unavailable' };
  }
  const { sha } = resolved;
  if (sha === entry.status?.sync?.revision || sha === entry.desired?.revision) return undefined;
  if (conditions.some((c) => isRenderRefusal(c, sha))) return undefined;
  log?.('info', 'new commit noticed by the drift sweep', { app, sha });
  return { message: { app, sha, ...(entry.stored.trackedRef ? { ref: entry.stored.trackedRef } : {}), trigger: 'drift' } };
}
