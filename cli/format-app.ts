/** Text tables for `gitwave app`: what a person reads in a terminal. */
import type { ResourceRow } from '../shared/engine/compare.ts';

export interface AppSummary {
  name: string;
  project: string;
  cluster: string;
  namespace: string;
  sync: { status: string; revision: string | null };
  health: { status: string };
  operation: { phase: string; message: string; startedAt: string; finishedAt: string | null } | null;
}

export type { ResourceRow };

export interface AppDetail extends AppSummary {
  resources: ResourceRow[];
}

export interface HistoryEntry {
  id: number;
  revision: string;
  deployedAt: string;
  deployStartedAt?: string;
  initiatedBy?: Record<string, unknown>;
  fromGit?: boolean;
  overrides?: Record<string, unknown>;
}

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const short = (sha: string | null | undefined) => (sha ? sha.slice(0, 7) : '-');

export function formatAppTable(apps: AppSummary[]): string {
  if (apps.length === 0) return 'no applications registered';
  return table(
    ['NAME', 'CLUSTER', 'NAMESPACE', 'SYNC', 'HEALTH', 'REVISION', 'LAST OPERATION'],
    apps.map((a) => [a.name, a.cluster, a.namespace, a.sync.status, a.health.status, short(a.sync.revision), a.operation ? `${a.operation.phase}: ${a.operation.message}` : '-']),
  );
}

export function formatAppDetail(app: AppDetail): string {
  const head = [
    `Name:       ${app.name}`,
    `Project:    ${app.project}`,
    `Cluster:    ${app.cluster} (namespace ${app.namespace})`,
    `Sync:       ${app.sync.status} ${short(app.sync.revision)}`,
    `Health:     ${app.health.status}`,
    `Operation:  ${app.operation ? `${app.operation.phase} ${app.operation.message} (started ${app.operation.startedAt}${app.operation.finishedAt ? `, finished ${app.operation.finishedAt}` : ''})` : '-'}`,
  ];
  const rows = app.resources.map((r) => [r.phase, String(r.wave), r.hook ? 'hook' : '', r.kind, r.namespace ?? '', r.name, r.sync.status ?? '', r.health.status ?? '', r.health.message ?? '']);
  return `${head.join('\n')}\n\n${table(['PHASE', 'WAVE', 'HOOK', 'KIND', 'NAMESPACE', 'NAME', 'SYNC', 'HEALTH', 'MESSAGE'], rows)}`;
}

export function formatHistory(history: HistoryEntry[]): string {
  if (history.length === 0) return 'no deploys yet';
  return table(
    ['ID', 'REVISION', 'DEPLOYED AT', 'SOURCE'],
    history.map((h) => [String(h.id), short(h.revision), h.deployedAt, h.fromGit === false ? `not from Git ${JSON.stringify(h.overrides ?? {})}` : 'git']),
  );
}
