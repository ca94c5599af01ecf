/** One cluster: its Applications' timeline merged (one writer per cluster, so this is the order things happened). */
import { app, get } from '../api.ts';
import { ErrorNote, Section } from '../components.tsx';
import { usePoll } from '../hooks.ts';
import type { Activity, AppPage, OperationRecord } from '../types.ts';
import { Timeline, appEvents, type TimelineEvent } from './timeline.tsx';

async function clusterEvents(cluster: string): Promise<{ apps: number; events: TimelineEvent[] }> {
  const page = await get<AppPage>(`applications?page=1&pageSize=100&cluster=${encodeURIComponent(cluster)}`);
  const lists = await Promise.all(page.items.map(async (row) => {
    const [operations, activity] = await Promise.all([get<OperationRecord[]>(`${app(row.name)}/operations`), get<Activity>(`${app(row.name)}/activity`)]);
    return appEvents(row.name, operations, activity.conditions);
  }));
  return { apps: page.total, events: lists.flat().sort((a, b) => (a.at < b.at ? 1 : -1)).slice(0, 200) };
}

export function ClusterPage({ name }: { name: string }) {
  const { data, error } = usePoll(() => clusterEvents(name), [name], () => 5000);
  return (
    <div>
      <h1>Cluster {name}</h1>
      <p class="muted">{data ? <a href={`/apps?cluster=${encodeURIComponent(name)}`}>{data.apps} applications</a> : 'loading…'}</p>
      <ErrorNote error={error} />
      <Section title="Timeline"><Timeline events={data?.events ?? []} showApp /></Section>
    </div>
  );
}
