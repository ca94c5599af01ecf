/** Small pieces every page uses: status badges, ages, short SHAs, the page frame. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const HEALTH_ICON: Record<string, string> = { Healthy: '♥', Progressing: '◐', Degraded: '✖', Suspended: '⏸', Missing: '?', Unknown: '?' };
const SYNC_ICON: Record<string, string> = { Synced: '✔', OutOfSync: '↻', Unknown: '?' };
const PHASE_ICON: Record<string, string> = { Running: '◐', Succeeded: '✔', Failed: '✖', Error: '✖', Aborted: '■', Terminated: '■', Terminating: '◐' };

const slug = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');

export function HealthBadge({ status }: { status: string | null }) {
  const s = status ?? 'Unknown';
  return <span class={`badge h-${slug(s)}`} title={`health: ${s}`}><i aria-hidden="true">{HEALTH_ICON[s] ?? '?'}</i>{s}</span>;
}

export function SyncBadge({ status }: { status: string | null }) {
  const s = status ?? 'Unknown';
  return <span class={`badge s-${slug(s)}`} title={`sync: ${s}`}><i aria-hidden="true">{SYNC_ICON[s] ?? '?'}</i>{s}</span>;
}

export function PhaseBadge({ phase }: { phase: string }) {
  return <span class={`badge p-${slug(phase)}`}><i aria-hidden="true">{PHASE_ICON[phase] ?? '•'}</i>{phase}</span>;
}

/** "3 min ago", refreshed every 30 s; the exact time in the tooltip. */
export function Age({ at }: { at: string | null | undefined }) {
  const [, setNow] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);
  if (!at) return <span class="muted">–</span>;
  return <time dateTime={at} title={new Date(at).toLocaleString()}>{ago(at)}</time>;
}

export function ago(at: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

export function Sha({ revision, href }: { revision: string | null; href?: string | null }) {
  if (!revision) return <span class="muted">–</span>;
  const short = /^[0-9a-f]{40}$/.test(revision) ? revision.slice(0, 7) : revision;
  return href ? <a class="sha" href={href} target="_blank" rel="noreferrer">{short}</a> : <code class="sha">{short}</code>;
}

export function ErrorNote({ error }: { error: string | undefined }) {
  return error ? <p class="error" role="alert">{error}</p> : null;
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return <section class="card" id={id}><h2>{title}</h2>{children}</section>;
}
