/**
 * Reading a server-side apply conflict (HTTP 409, "Apply failed with N conflicts: …") into the
 * managers and fields it names, so a forced apply can report whose fields it took over. The
 * structured `details.causes` (reason `FieldManagerConflict`) are preferred; the message is the fallback.
 */
import type { KubeStatus } from './errors.ts';
import type { FieldConflict } from './port.ts';

const MANAGER = /conflicts? with "([^"]+)"/;

/** The conflicts a 409 Status names, deduplicated, in the server's order. */
export function parseApplyConflicts(status: KubeStatus): FieldConflict[] {
  const fromCauses = (status.details?.causes ?? [])
    .filter((c) => c.reason === 'FieldManagerConflict' || MANAGER.test(c.message ?? ''))
    .map((c) => ({ manager: MANAGER.exec(c.message ?? '')?.[1] ?? 'unknown', field: c.field ?? '' }));
  return dedupe(fromCauses.length > 0 ? fromCauses : fromMessage(status.message ?? ''));
}

/**
 * The message form: one conflict on one line (`conflict with "m" using v1: .a`), or several managers
 * each followed by `- .field` lines.
 */
function fromMessage(message: string): FieldConflict[] {
  const out: FieldConflict[] = [];
  let manager = 'unknown';
  for (const line of message.split('\n')) {
    const named = MANAGER.exec(line);
    if (named) {
      manager = named[1];
      const inline = /: (\.[^\n]*)$/.exec(line.slice(named.index));
      if (inline) out.push({ manager, field: inline[1] });
      continue;
    }
    const item = /^\s*-\s*(\.\S+)/.exec(line);
    if (item) out.push({ manager, field: item[1] });
  }
  return out;
}

function dedupe(list: FieldConflict[]): FieldConflict[] {
  const seen = new Set<string>();
  return list.filter((c) => {
    const key = `${c.manager}\u0000${c.field}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `kubectl-client-side-apply (.spec.replicas, .data.a); other (.x)` for result messages. */
export function describeConflicts(conflicts: FieldConflict[]): string {
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) byManager.set(c.manager, [...(byManager.get(c.manager) ?? []), c.field]);
  return [...byManager].map(([m, fields]) => `${m} (${fields.filter(Boolean).join(', ')})`).join('; ');
}
