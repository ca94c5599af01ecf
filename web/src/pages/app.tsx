/**
 * One Application: what runs now in words, every attempt, the resources by phase and wave, the
 * conditions that explain a refusal, the sync panel; tabs for the diff, history and the timeline.
 * Polls every second while an operation runs, every five otherwise.
 */
import { app, get } from '../api.ts';
import { Age, ErrorNote, HealthBadge, PhaseBadge, Section, Sha, SyncBadge } from '../components.tsx';
import { usePoll } from '../hooks.ts';
import { appHref } from '../route.ts';
import type { Activity, AppDetail, OperationRecord } from '../types.ts';
import { Resources } from './resources.tsx';
import { SyncPanel } from './sync-panel.tsx';
import { DiffTab } from './diff.tsx';
import { HistoryTab } from './history.tsx';
import { Timeline, appEvents } from './timeline.tsx';

const TABS = [['overview', 'Overview'], ['diff', 'Diff'], ['history', 'History'], ['timeline', 'Timeline']] as const;
const running = (a: Activity | undefined) => a?.operation?.phase === 'Running' || a?.operation?.phase === 'Terminating';

export function AppPage({ name, tab }: { name: string; tab: string }) {
  const activity = usePoll(() => get<Activity>(`${app(name)}/activity`), [name], (a) => (running(a) ? 1000 : 5000));
  const busy = running(activity.data);
  const detail = usePoll(() => get<AppDetail>(app(name)), [name, busy], () => (busy ? 1000 : 5000));
  const operations = usePoll(() => get<OperationRecord[]>(`${app(name)}/operations`), [name, busy], () => (busy ? 2000 : 10_000));
  const d = detail.data;
  return (
    <div class="app-page">
      <div class="app-head">
        <h1>{name}</h1>
        {d ? <>
          <SyncBadge status={d.sync.status} /> <HealthBadge status={d.health.status} />
          <span class="facts">cluster <a href={`/clusters/${encodeURIComponent(d.cluster)}`}>{d.cluster}</a> · namespace {d.namespace} · project {d.project} · revision <Sha revision={d.sync.revision} /></span>
        </> : null}
      </div>
      <ErrorNote error={detail.error} />
      <nav class="tabs" aria-label="application pages">
        {TABS.map(([id, title]) => <a key={id} href={appHref(name, id === 'overview' ? '' : id)} aria-current={tab === id ? 'page' : undefined}>{title}</a>)}
      </nav>
      {tab === 'overview' ? <Overview name={name} activity={activity.data} detail={d} operations={operations.data ?? []} onStarted={() => { activity.reload(); operations.reload(); }} /> : null}
      {tab === 'diff' ? <DiffTab name={name} /> : null}
      {tab === 'history' ? <HistoryTab name={name} /> : null}
      {tab === 'timeline' ? <Section title="Timeline"><Timeline events={appEvents(name, operations.data ?? [], activity.data?.conditions ?? [])} /></Section> : null}
    </div>
  );
}

function Overview({ name, activity, detail, operations, onStarted }: { name: string; activity: Activity | undefined; detail: AppDetail | undefined; operations: OperationRecord[]; onStarted: () => void }) {
  const op = activity?.operation;
  return (
    <>
      {activity?.conditions.length ? (
        <Section title="Why it does not sync">
          {activity.conditions.map((c) => <p class="condition" key={c.type + c.message}><strong>{c.type}</strong> {c.message} {c.lastTransitionTime ? <Age at={c.lastTransitionTime} /> : null}</p>)}
        </Section>
      ) : null}
      <Section title={running(activity) ? 'Current operation' : 'Last operation'} id="operation">
        {op ? (
          <>
            <p class="words"><PhaseBadge phase={op.phase} /> <span data-testid="operation-words">{op.words}</span></p>
            <p class="muted">
              {op.initiatedBy.automated ? 'automated' : `by ${op.initiatedBy.username ?? 'someone'}`} · revision <Sha revision={op.revision} /> · started <Age at={op.startedAt} />
              {op.finishedAt ? <> · finished <Age at={op.finishedAt} /></> : null}
              {op.retryCount ? ` · retry ${op.retryCount}` : ''}{op.dryRun ? ' · dry run' : ''}
              {op.execution ? <> · <a href={`/executions/${encodeURIComponent(op.execution.name)}`}>execution graph</a></> : null}
            </p>
          </>
        ) : <p class="muted">No operation yet.</p>}
      </Section>
      <Resources resources={detail?.resources ?? []} tasks={op?.tasks ?? []} />
      <SyncPanel name={name} cluster={detail?.cluster} resources={detail?.resources ?? []} onStarted={onStarted} />
      <Section title="Attempts">
        <table class="attempts">
          <thead><tr><th>Phase</th><th>Revision</th><th>Started</th><th>Finished</th><th>By</th><th>Message</th></tr></thead>
          <tbody>
            {operations.map((o) => (
              <tr key={o.syncId}>
                <td><PhaseBadge phase={o.phase} /></td><td><Sha revision={o.revision} /></td><td><Age at={o.startedAt} /></td><td><Age at={o.finishedAt} /></td>
                <td>{o.initiatedBy.automated ? (o.selective ? 'self-heal' : 'automated') : `${o.initiatedBy.username ?? ''}${o.selective ? ' (chosen resources)' : ''}`}</td><td class="message">{o.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
