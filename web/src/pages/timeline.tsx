/** Timelines (per Application, per cluster): syncs, self-heals, automated syncs after drift or a push, refusals. */
import { Age, PhaseBadge, Sha } from '../components.tsx';
import type { Activity, OperationRecord } from '../types.ts';

export interface TimelineEvent { at: string; app: string; what: string; phase?: string; revision?: string; message: string }

/** What started an operation, in words. */
export function kindOf(o: OperationRecord): string {
  if (o.initiatedBy.automated) return o.selective ? 'self-heal' : 'automated sync (drift or push)';
  return `${o.dryRun ? 'dry run' : 'sync'} by ${o.initiatedBy.username ?? 'someone'}`;
}

export function appEvents(app: string, operations: OperationRecord[], conditions: Activity['conditions']): TimelineEvent[] {
  const events: TimelineEvent[] = operations.map((o) => ({ at: o.finishedAt ?? o.startedAt, app, what: kindOf(o), phase: o.phase, revision: o.revision, message: o.message }));
  for (const c of conditions) events.push({ at: c.lastTransitionTime ?? '', app, what: `refused: ${c.type}`, message: c.message });
  return events.sort((a, b) => (a.at < b.at ? 1 : -1));
}

export function Timeline({ events, showApp = false }: { events: TimelineEvent[]; showApp?: boolean }) {
  if (events.length === 0) return <p class="muted">Nothing happened yet.</p>;
  return (
    <ol class="timeline">
      {events.map((e, i) => (
        <li key={i} class={e.what.startsWith('refused') ? 'refusal' : ''}>
          <Age at={e.at || null} /> {showApp ? <a href={`/apps/${encodeURIComponent(e.app)}`}>{e.app}</a> : null} <strong>{e.what}</strong>
          {e.phase ? <> <PhaseBadge phase={e.phase} /></> : null} {e.revision ? <Sha revision={e.revision} /> : null} <span class="muted">{e.message}</span>
        </li>
      ))}
    </ol>
  );
}
