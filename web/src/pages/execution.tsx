/**
 * One execution of the sync state machine, as the Step Functions console shows it: the graph of the
 * definition it ran (laid out by dagre), the state running now highlighted, states already passed
 * marked, the event history beside it, and a link to the console's page in AWS.
 */
import { useMemo } from 'preact/hooks';
import { get } from '../api.ts';
import { ErrorNote, Section } from '../components.tsx';
import { usePoll } from '../hooks.ts';
import { layoutMachine } from '../asl-graph.ts';
import type { Execution } from '../types.ts';

export function ExecutionPage({ name }: { name: string }) {
  const { data, error } = usePoll(() => get<Execution>(`executions/${encodeURIComponent(name)}`), [name], (e) => (e?.status === 'RUNNING' ? 1000 : 0));
  const graph = useMemo(() => (data ? layoutMachine(data.definition) : undefined), [data && JSON.stringify(data.definition)]);
  const visited = new Set(data?.events.map((e) => e.state).filter(Boolean));
  const failed = new Set(data?.events.filter((e) => /Failed$/.test(e.type) && e.state).map((e) => e.state));
  return (
    <div class="execution-page">
      <h1>Execution <code>{name}</code></h1>
      <ErrorNote error={error} />
      {data ? (
        <p class="muted">
          <span class={`badge x-${data.status.toLowerCase()}`}>{data.status}</span> started {data.startDate ? new Date(data.startDate).toLocaleString() : '–'}
          {data.current ? <> · now in <strong data-testid="current-state">{data.current}</strong></> : null}
          {data.error ? <> · {data.error}: {data.cause}</> : null}
          {' · '}<a href={data.consoleUrl} target="_blank" rel="noreferrer">open in the AWS console</a>
        </p>
      ) : null}
      <div class="execution">
        <Section title="State machine">
          {graph ? (
            <svg class="graph" role="img" aria-label="state machine graph" viewBox={`0 0 ${graph.width} ${graph.height}`} width={graph.width} height={graph.height}>
              <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" /></marker></defs>
              {graph.edges.map((e) => <polyline key={`${e.from}>${e.to}`} class={`edge ${e.kind}`} points={e.points.map((p) => `${p.x},${p.y}`).join(' ')} marker-end="url(#arrow)" />)}
              {graph.nodes.map((n) => {
                const state = n.id === data?.current ? 'current' : failed.has(n.id) ? 'failed' : visited.has(n.id) ? 'visited' : '';
                return (
                  <g key={n.id} class={`node ${state} t-${n.type.toLowerCase()}`} data-state={n.id} transform={`translate(${n.x - n.width / 2},${n.y - n.height / 2})`}>
                    <rect width={n.width} height={n.height} rx={n.type === 'Choice' ? 17 : 6} />
                    <text x={n.width / 2} y={n.height / 2 + 4} text-anchor="middle">{n.id}</text>
                  </g>
                );
              })}
            </svg>
          ) : <p class="muted">loading…</p>}
        </Section>
        <Section title="Event history">
          <ol class="events">
            {(data?.events ?? []).map((e) => (
              <li key={e.id}><span class="muted">{e.id}</span> {e.type} {e.state ? <strong>{e.state}</strong> : null} <time class="muted">{new Date(e.timestamp).toLocaleTimeString()}</time></li>
            ))}
          </ol>
        </Section>
      </div>
    </div>
  );
}
