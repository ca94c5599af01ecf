/**
 * The drift sweep (drift λ, on a schedule): for each cluster, read live state once (one list per
 * kind, for the kinds of all its Applications' last desired states), compare it with each
 * Application's last desired state as the plan step does (server-side diff, SPEC-sync §5), write
 * sync and health status where they changed, and queue a sync for automated Applications the auto-sync rules would
 * sync now (selfHeal with its backoff, SPEC-sync §6; the plan step decides again). Then notice new
 * commits in repositories that send no webhook (drift-commits.ts).
 *
 * The sweep only reads clusters. A cluster whose lock is held is skipped without touching the lock
 * (SECURITY.md §7 row 42): its running sync writes the status, and the next sweep catches up. A status
 * written after the sweep read it (a sync's outcome, a plan step's comparison) is newer than the
 * sweep's comparison: the sweep's write is refused (observed-status.ts) and nothing is requested.
 */
import { isDeepStrictEqual } from 'node:util';
import { groupOf, keyString, type KubeObject } from '../model/object.ts';
import { isTrackedTo } from '../model/tracking.ts';
import { KindNotServedError, type ClusterClient } from '../kube/index.ts';
import type { AppStatus, Store } from '../store/ports.ts';
import { autoSyncIsOn, decideAutoSync } from '../sync/auto-sync.ts';
import { planSync } from '../sync/plan.ts';
import type { DriftResult } from './contracts.ts';
import type { RevisionResolver } from '../source/index.ts';
import type { Cluster } from '../model/cluster.ts';
import type { BlobStore } from './blob-store.ts';
import { discoverKinds, projectCheck } from './cluster-policy.ts';
import { compareApp, type Comparison } from './compare.ts';
import type { ClusterConnector, EngineLog } from './deps.ts';
import { noticeNewCommits } from './drift-commits.ts';
import { withChildApplications } from './child-apps.ts';
import { childHealthOptions } from '../model/child-apps.ts';
import { sweepSnapshot, type SweepEntry } from './drift-snapshot.ts';
import { distinctKinds, liveKeyOf, mapLimit, KUBE_CONCURRENCY } from './live.ts';
import { planSettings, trackDesired } from './operation-options.ts';
import { autoSyncInput } from './plan-decision.ts';
import type { OperationOptions } from './plan-document.ts';
import type { QueuedRequest, RequestQueue } from './request-queue.ts';
import { isRenderRefusal } from './render-request.ts';

export interface DriftDeps {
  store: Store;
  blobs: BlobStore;
  connect: ClusterConnector;
  queue: RequestQueue;
  /** Without a source reader, new commits are not looked for (webhooks only). */
  source?: RevisionResolver;
  now?: () => number;
  log?: EngineLog;
}

/**
 * Applications compared at once within one cluster: each comparison makes its own dry runs (only
 * for what differs) and one conditional status write, so they mostly wait on the API and the store.
 */
const APP_CONCURRENCY = 16;
/** A status the sweep finds unchanged is still written when older than this (`reconciledAt` stays recent). */
const REWRITE_AFTER_MS = 15 * 60_000;
/** The options a comparison is made with (what status shows: the whole app, hooks as planned). */
export const COMPARISON: OperationOptions = { trigger: 'drift', initiatedBy: { automated: true }, dryRun: false, prune: false, strategy: 'hook' };

/** An Application ready to compare: bound, with a desired state. */
type Comparable = Required<Pick<SweepEntry, 'binding' | 'desired'>> & SweepEntry;

/**
 * One sweep over every cluster.
 * @example await runDriftSweep({ store, blobs, connect, queue, source }) // { clusters: 2, requested: 1 }
 */
export async function runDriftSweep(deps: DriftDeps): Promise<DriftResult> {
  const entries = await sweepSnapshot(deps.store, deps.blobs, deps.log);
  const byCluster = new Map<string, { cluster: Cluster; entries: Comparable[] }>();
  for (const entry of entries) {
    if (!entry.binding || !entry.desired) continue;
    const group = byCluster.get(entry.binding.cluster.name) ?? { cluster: entry.binding.cluster, entries: [] };
    group.entries.push(entry as Comparable);
    byCluster.set(entry.binding.cluster.name, group);
  }
  const requests: QueuedRequest[] = [];
  for (const { cluster, entries: group } of byCluster.values()) {
    try {
      requests.push(...await sweepCluster(deps, cluster, group));
    } catch (error) {
      deps.log?.('warn', 'cluster not swept', { cluster: cluster.name, reason: (error as Error).message });
    }
  }
  if (deps.source) requests.push(...await noticeNewCommits(deps.source, entries, deps.log));
  if (requests.length > 0) await deps.queue.send(requests);
  return { clusters: byCluster.size, requested: requests.length };
}

async function sweepCluster(deps: DriftDeps, cluster: Cluster, entries: Comparable[]): Promise<QueuedRequest[]> {
  const now = (deps.now ?? Date.now)();
  const lock = await deps.store.read(cluster.name);
  if (lock?.held && (lock.leaseUntil ?? 0) > now) {
    deps.log?.('info', 'cluster skipped: a sync holds its lock', { cluster: cluster.name, apps: entries.length });
    return [];
  }
  const desired = new Map(entries.map((e) => [e.stored.app.metadata.name, desiredOf(e, now)]));
  const kube = withChildApplications(await deps.connect(cluster, { purpose: 'read' }), deps);
  const previousKinds = entries.flatMap((e) => (e.status?.resources ?? []) as Array<{ group: string; kind: string }>);
  const kinds = distinctKinds([...[...desired.values()].flatMap((d) => d.objects.map((o) => ({ group: groupOf(o.apiVersion), kind: o.kind }))), ...previousKinds]);
  const live = await listKinds(kube, kinds);
  const requests = await mapLimit(entries, APP_CONCURRENCY, (entry) => sweepApp(deps, kube, entry, desired.get(entry.stored.app.metadata.name)!, live, now));
  return requests.flat();
}

function desiredOf(entry: Comparable, now: number) {
  const settings = planSettings(entry.binding.app, COMPARISON, entry.desired.revision, Math.floor(now / 1000));
  return { settings, objects: trackDesired(entry.desired.objects.map((o) => o.object), settings) };
}

/** Every object of each kind, one list call per kind (a kind not served has none). */
async function listKinds(kube: ClusterClient, kinds: ReadonlyArray<{ group: string; kind: string }>): Promise<KubeObject[]> {
  const lists = await mapLimit(kinds, KUBE_CONCURRENCY, async (type) => {
    try {
      return await kube.list(type);
    } catch (error) {
      if (error instanceof KindNotServedError) return [];
      throw error;
    }
  });
  return lists.flat();
}

async function sweepApp(
  deps: DriftDeps, kube: ClusterClient, entry: Comparable, desired: ReturnType<typeof desiredOf>, live: readonly KubeObject[], now: number,
): Promise<QueuedRequest[]> {
  const name = entry.stored.app.metadata.name;
  try {
    const comparison = await compare(kube, entry, desired, live);
    // Only automated sync looks at the last operation (its revision, retries, selfHeal attempts).
    const last = autoSyncIsOn(entry.binding.app.spec.syncPolicy.automated) ? (await deps.store.listOperations(name))[0] : undefined;
    // The cluster's lock was free when the sweep began, so no operation of this app is running.
    const auto = decideAutoSync(autoSyncInput(entry.binding.app, comparison, false, last, entry.desired.revision, Math.floor(now / 1000)));
    const status = observedStatus(entry.status, entry.desired.revision, comparison, now, auto.action === 'error' ? [auto.condition] : []);
    if (!isUnchanged(entry, status, now) && !await deps.store.writeObservedStatus(name, status, entry.status)) {
      deps.log?.('info', 'comparison not written: the status changed since the sweep read it', { app: name });
      return [];
    }
    if (auto.action !== 'sync') return [];
    const selfHeal = (auto.operation.resources?.length ?? 0) > 0;
    deps.log?.('info', 'sync requested by the drift sweep', { app: name, selfHeal, revision: entry.desired.revision });
    return [{
      message: { app: name, sha: entry.desired.revision, trigger: selfHeal ? 'selfHeal' : 'drift' },
      dedupeKey: `auto:${entry.desired.revision}:${last?.syncId ?? 'none'}:${auto.operation.selfHealAttempts}`,
    }];
  } catch (error) {
    deps.log?.('warn', 'application not compared', { app: name, reason: (error as Error).message });
    return [];
  }
}

async function compare(kube: ClusterClient, entry: Comparable, desired: ReturnType<typeof desiredOf>, live: readonly KubeObject[]): Promise<Comparison> {
  const { settings, objects } = desired;
  const keys = new Set(planSync({ desired: objects, settings, live: [] }).tasks.map((t) => keyString(t.key)));
  const mine = live.filter((obj) => isTrackedTo(obj, settings.appInstance) || keys.has(keyString(liveKeyOf(obj))));
  const facts = await discoverKinds(kube, [...objects, ...mine]);
  const input = { desired: objects, live: mine, settings, isServed: facts.isServed, checkProject: projectCheck(entry.binding.project, entry.binding.cluster, facts) };
  return compareApp(kube, input, entry.binding.app.spec.ignoreDifferences, childHealthOptions(entry.binding.app));
}

/**
 * The status already says what this comparison says (sync, health, resources, conditions), was
 * written after the Application last changed and less than REWRITE_AFTER_MS ago: the sweep does not
 * write it again. One conditional write per Application was most of a sweep's time; `reconciledAt`
 * then tells when the status last changed or was confirmed, at most REWRITE_AFTER_MS ago.
 */
function isUnchanged(entry: Comparable, next: AppStatus, now: number): boolean {
  const previous = entry.status;
  if (!previous?.reconciledAt || previous.reconciledAt < entry.stored.updatedAt) return false;
  const age = now - Date.parse(previous.reconciledAt);
  if (!(age >= 0 && age < REWRITE_AFTER_MS)) return false;
  // Through JSON: undefined fields dropped, as DynamoDB stores them; key order is not compared.
  const shown = (s: AppStatus) => JSON.parse(JSON.stringify({ sync: s.sync, health: s.health, resources: s.resources, conditions: s.conditions ?? [] })) as unknown;
  return isDeepStrictEqual(shown(previous), shown(next));
}

/** The comparison as status, written like the plan step writes it: at the revision compared (the last desired state's). */
function observedStatus(previous: AppStatus | undefined, revision: string, comparison: Comparison, now: number, extra: Array<{ type: string; message: string }>): AppStatus {
  return {
    sync: { status: comparison.sync, revision },
    health: comparison.health,
    resources: comparison.resources,
    reconciledAt: new Date(now).toISOString(),
    conditions: [
      // A newer commit the render step refused stays reported until a render succeeds.
      ...(previous?.conditions ?? []).filter((c) => isRenderRefusal(c)),
      ...comparison.plan.errors.map((e) => ({ type: 'ComparisonError', message: e.message })),
      ...extra,
    ],
  };
}
