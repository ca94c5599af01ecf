/** Desired (predicted live, from a server-side dry run) against live, per resource; the API masks Secret values. */
import { app, get } from '../api.ts';
import { ErrorNote, Section, Sha } from '../components.tsx';
import { usePoll } from '../hooks.ts';
import type { AppDiff, Change } from '../types.ts';

const show = (value: unknown) => (value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function ChangeRow({ change }: { change: Change }) {
  return (
    <tr class={`change ${change.op}`}>
      <td><code>{change.path}</code></td>
      <td class="live"><pre>{show(change.live)}</pre></td>
      <td class="desired"><pre>{show(change.predicted)}</pre></td>
    </tr>
  );
}

export function DiffTab({ name }: { name: string }) {
  const { data, error } = usePoll(() => get<AppDiff>(`${app(name)}/diff`), [name]);
  return (
    <Section title="Diff: live → desired" id="diff">
      <ErrorNote error={error} />
      {data ? <p class="muted">desired state of revision <Sha revision={data.revision} /></p> : error ? null : <p class="muted">comparing…</p>}
      {data && data.resources.length === 0 ? <p class="ok">No differences: live matches the desired state.</p> : null}
      {data?.resources.map((r) => (
        <div class="resource-diff" key={`${r.kind}/${r.namespace}/${r.name}`}>
          <h3><span class={`action ${r.action}`}>{r.action}</span> {r.group ? `${r.group}/` : ''}{r.kind} {r.namespace ? `${r.namespace}/` : ''}{r.name}</h3>
          <table class="diff"><thead><tr><th>Field</th><th>Live</th><th>Desired</th></tr></thead>
            <tbody>{r.changes.map((c) => <ChangeRow key={c.path} change={c} />)}</tbody>
          </table>
        </div>
      ))}
    </Section>
  );
}
