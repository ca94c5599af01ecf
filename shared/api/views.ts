/**
 * What the API shows of an Application, in the exact shapes of `gitwave app list -o json` and
 * `gitwave app get -o json` (issue 6), plus history and operation records. Views are built from
 * the registry and the recorded status only; they carry no credentials (repository URLs are shown
 * without any userinfo) and no manifest content.
 */
import type { Application, ApplicationSource } from '../model/application.ts';
import { findDestinationCluster, type Cluster } from '../model/cluster.ts';
import { redactRepoURL } from '../model/repo-url.ts';
import type { AppStatus, HistoryEntry, OperationRecord, StatusSummary } from '../store/ports.ts';
import type { ResourceRow } from '../engine/compare.ts';

export interface AppSummary {
  name: string;
  project: string;
  cluster: string;
  namespace: string;
  sync: { status: 'Synced' | 'OutOfSync' | 'Unknown'; revision: string | null };
  health: { status: string };
  operation: { phase: string; message: string; startedAt: string; finishedAt: string | null } | null;
}

/** A row of the comparison (shared/engine compare.ts) as shown: only these fields, `message` always present. */
export type ResourceView = Omit<ResourceRow, 'requiresPruning' | 'message' | 'health'> & {
  health: { status: ResourceRow['health']['status']; message: string | null };
};

export interface AppDetail extends AppSummary {
  resources: ResourceView[];
}

/** The registered name of the cluster an Application deploys to (or what its destination says). */
export function clusterNameOf(app: Application, clusters: readonly Cluster[]): string {
  const { destination } = app.spec;
  return findDestinationCluster(clusters, destination)?.name ?? destination.name ?? destination.server ?? '';
}

/**
 * One row of `gitwave app list -o json`.
 * @example summaryOf(app, status, clusters, lastOperation).sync // { status: 'Synced', revision: '6ccfe74…' }
 */
export function summaryOf(app: Application, status: StatusSummary | undefined, clusters: readonly Cluster[], last?: OperationRecord): AppSummary {
  const operation = status?.operationState ?? last;
  return {
    name: app.metadata.name,
    project: app.spec.project,
    cluster: clusterNameOf(app, clusters),
    namespace: app.spec.destination.namespace ?? '',
    sync: { status: status?.sync?.status ?? 'Unknown', revision: status?.sync?.revision ?? null },
    health: { status: status?.health?.status ?? 'Unknown' },
    operation: operation
      ? { phase: operation.phase, message: operation.message ?? '', startedAt: operation.startedAt, finishedAt: operation.finishedAt ?? null }
      : null,
  };
}

/** `gitwave app get -o json`: the summary plus one row per resource, as the last comparison saw it. */
export function detailOf(summary: AppSummary, status: AppStatus | undefined): AppDetail {
  const rows = (status?.resources ?? []) as Array<Partial<ResourceRow>>;
  return {
    ...summary,
    resources: rows.map((r) => ({
      group: r.group ?? '',
      kind: r.kind ?? '',
      namespace: r.namespace ?? null,
      name: r.name ?? '',
      phase: r.phase ?? 'Sync',
      wave: r.wave ?? 0,
      hook: r.hook ?? false,
      sync: { status: r.sync?.status ?? null },
      health: { status: r.health?.status ?? null, message: r.health?.message ?? null },
    })),
  };
}

/** A source as shown: where it comes from, never credentials. */
export function sourceView(source: ApplicationSource): { repoURL: string; path: string; targetRevision: string } {
  return { repoURL: redactRepoURL(source.repoURL), path: source.path, targetRevision: source.targetRevision };
}

/** A history entry; a deploy with one-off overrides says so and shows them. */
export function historyView(entry: HistoryEntry, overrides?: Record<string, unknown>) {
  return {
    id: entry.id,
    revision: entry.revision,
    source: sourceView(entry.source),
    deployedAt: entry.deployedAt,
    deployStartedAt: entry.deployStartedAt,
    initiatedBy: entry.initiatedBy,
    syncId: entry.syncId,
    fromGit: entry.fromGit,
    ...(entry.fromGit ? {} : { overrides: overrides ?? {} }),
  };
}

/** An operation record without its internal tick state. */
export function operationView(record: OperationRecord) {
  return {
    syncId: record.syncId,
    phase: record.phase,
    message: record.message ?? '',
    revision: record.revision,
    source: sourceView(record.source),
    startedAt: record.startedAt,
    finishedAt: record.finishedAt ?? null,
    dryRun: record.dryRun,
    prune: record.prune,
    selective: record.selective,
    fromGit: record.fromGit,
    initiatedBy: record.initiatedBy,
  };
}
