/** Successful deploys, newest first, each with a rollback (refused by the API while auto-sync is on, and it says so). */
import { useState } from 'preact/hooks';
import { app, get, post } from '../api.ts';
import { Age, ErrorNote, Section, Sha } from '../components.tsx';
import { usePoll } from '../hooks.ts';
import type { HistoryEntry } from '../types.ts';

export function HistoryTab({ name }: { name: string }) {
  const { data, error } = usePoll(() => get<HistoryEntry[]>(`${app(name)}/history`), [name], () => 10_000);
  const [result, setResult] = useState<{ message?: string; error?: string }>({});
  const rollback = async (entry: HistoryEntry) => {
    if (!confirm(`Roll ${name} back to ${entry.revision.slice(0, 7)} (history ${entry.id})?`)) return;
    try {
      setResult({ message: (await post<{ message: string }>(`${app(name)}/rollback`, { id: entry.id })).message });
    } catch (e) {
      setResult({ error: (e as Error).message });
    }
  };
  return (
    <Section title="History" id="history">
      <ErrorNote error={error ?? result.error} />
      {result.message ? <p class="ok" role="status">{result.message}</p> : null}
      <table class="history">
        <thead><tr><th>#</th><th>Revision</th><th>Deployed</th><th>By</th><th>Source</th><th /></tr></thead>
        <tbody>
          {(data ?? []).map((h) => (
            <tr key={h.id}>
              <td>{h.id}</td><td><Sha revision={h.revision} /></td><td><Age at={h.deployedAt} /></td>
              <td>{h.initiatedBy.automated ? 'automated' : h.initiatedBy.username}</td>
              <td>{h.fromGit ? 'Git' : <span class="warn" title={JSON.stringify(h.overrides)}>one-off overrides</span>}</td>
              <td><button type="button" onClick={() => rollback(h)}>Roll back</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {data && data.length === 0 ? <p class="muted">Nothing deployed yet.</p> : null}
    </Section>
  );
}
