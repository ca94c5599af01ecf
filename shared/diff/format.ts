/**
 * The diff as people read it: one line per changed path, `+` added by the apply, `-` removed,
 * `~` replaced (live → desired). Values come from a masked {@link DiffResult}, so no Secret value
 * can appear; long values are shortened.
 */
import type { Change } from './changes.ts';

const MAX_VALUE = 120;

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/**
 * One line for a change.
 * @example formatChange({ path: '/spec/replicas', op: 'replace', predicted: 3, live: 2 }) // '~ /spec/replicas: 2 → 3'
 */
export function formatChange(change: Change): string {
  const path = change.path === '' ? '(whole object)' : change.path;
  switch (change.op) {
    case 'add':
      return `+ ${path}: ${show(change.predicted)}`;
    case 'remove':
      return `- ${path}: ${show(change.live)}`;
    default:
      return `~ ${path}: ${show(change.live)} → ${show(change.predicted)}`;
  }
}

/**
 * The changes as text, one per line ("" when there are none).
 * @example formatChanges(diffObjects(predicted, live).changes)
 */
export function formatChanges(changes: readonly Change[]): string {
  return changes.map(formatChange).join('\n');
}
