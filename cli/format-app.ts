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

/** The list; `wide` adds the project and when the last operation started. */
export function formatAppTable(apps: AppSummary[], wide = false): string {
  if (apps.length === 0) return 'no applications registered';
  const headers = ['NAME', 'CLUSTER', 'NAMESPACE', 'SYNC', 'HEALTH', 'REVISION', 'LAST OPERATION'];
  const rows = apps.map((a) => [a.name, a.cluster, a.namespace, a.sync.status, a.health.status, short(a.sync.revision), a.operation ? `${a.operation.phase}: ${a.operation.message}` : '-']);
  if (!wide) return table(headers, rows);
  return table(['PROJECT', ...headers, 'STARTED'], rows.map((row, i) => [apps[i].project, ...row, apps[i].operation?.startedAt ?? '-']));
}

/** One Application; `wide` adds each resource's group. */
export function formatAppDetail(app: AppDetail, wide = false): string {
  const head = [
    `Name:       ${app.name}`,
    `Project:    ${app.project}`,
    `Cluster:    ${app.cluster} (namespace ${app.namespace})`,
    `Sync:       ${app.sync.status} ${short(app.sync.revision)}`,
    `Health:     ${app.health.status}`,
    `Operation:  ${app.operation ? `${app.operation.phase} ${app.operation.message} (started ${app.operation.startedAt}${app.operation.finishedAt ? `, finished ${app.operation.finishedAt}` : ''})` : '-'}`,
  ];
  const rows = app.resources.map((r) => [r.phase, String(r.wave), r.hook ? 'hook' : '', ...(wide ? [r.group || 'core'] : []), r.kind, r.namespace ?? '', r.name, r.sync.status ?? '', r.health.status ?? '', r.health.message ?? '']);
  const headers = ['PHASE', 'WAVE', 'HOOK', ...(wide ? ['GROUP'] : []), 'KIND', 'NAMESPACE', 'NAME', 'SYNC', 'HEALTH', 'MESSAGE'];
  return `${head.join('\n')}\n\n${table(headers, rows)}`;
}

/** History; `wide` shows full revisions and who started each deploy. */
export function formatHistory(history: HistoryEntry[], wide = false): string {
  if (history.length === 0) return 'no deploys yet';
  const rows = history.map((h) => [String(h.id), wide ? h.revision : short(h.revision), h.deployedAt, h.fromGit === false ? `not from Git ${JSON.stringify(h.overrides ?? {})}` : 'git']);
  if (!wide) return table(['ID', 'REVISION', 'DEPLOYED AT', 'SOURCE'], rows);
  return table(['ID', 'REVISION', 'DEPLOYED AT', 'SOURCE', 'BY'], rows.map((row, i) => [...row, initiator(history[i].initiatedBy)]));
}

function initiator(by: Record<string, unknown> | undefined): string {
  if (!by) return '-';
  return by.automated ? 'automated' : String(by.username ?? '-');
}
