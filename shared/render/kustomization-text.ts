/**
 * Writing the edited kustomization of the scratch copy so that kustomize reads everything gitwave did
 * not touch exactly as it would have read the original. The file is read with YAML's failsafe schema
 * (every scalar kept as its text: `newTag: 1.10` stays "1.10", not the number 1.1), the options are
 * applied, and only the top-level keys that changed are re-written in place, typed the way
 * kustomize's own `edit` writes them (replica counts as integers, label flags and patch options as
 * booleans, everything else as strings, quoted when YAML would read them as something else). Every
 * other byte of the file is kept.
 */
import { isMap, isScalar, parse, parseDocument, stringify } from 'yaml';
import { isRecord } from '../model/object.ts';
import { renderError } from './errors.ts';
import { applyKustomizeOptions } from './kustomize-edit.ts';
import type { BuildEnv, KustomizeSourceOptions } from './types.ts';

export interface EditedKustomization {
  text: string;
  /** The repository asked for origin annotations itself, so they stay in the output. */
  keepOrigin: boolean;
}

/**
 * The kustomization text with the Application's options applied and origin annotations requested.
 * @example editKustomizationText('resources: [a.yaml]\n', 'k.yaml', { namePrefix: 'dev-' }, {}).text
 *   // 'resources: [a.yaml]\nnamePrefix: dev-\nbuildMetadata:\n  - originAnnotations\n'
 */
export function editKustomizationText(text: string, file: string, options: KustomizeSourceOptions, env: BuildEnv): EditedKustomization {
  const raw: unknown = parse(text, { schema: 'failsafe' }) ?? {};
  if (!isRecord(raw)) throw renderError(file, 'a kustomization must be a YAML mapping', 1);
  const edited = applyKustomizeOptions(raw, options, env, file);
  const metadata = Array.isArray(edited.buildMetadata) ? edited.buildMetadata : [];
  const keepOrigin = metadata.includes('originAnnotations');
  if (!keepOrigin) edited.buildMetadata = [...metadata, 'originAnnotations'];
  const changed = Object.keys(edited).filter((key) => JSON.stringify(edited[key]) !== JSON.stringify(raw[key]));
  return { text: spliceKeys(text, Object.fromEntries(changed.map((key) => [key, typed(key, edited[key])]))), keepOrigin };
}

/** `text` with each top-level key of `values` replaced where it is, or appended when new. */
function spliceKeys(text: string, values: Record<string, unknown>): string {
  const doc = parseDocument(text);
  const top = doc.contents;
  if (!isMap(top) || top.flow) return stringify({ ...(parse(text, { schema: 'failsafe' }) ?? {}), ...values });
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const appended: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const pair = top.items.find((p) => isScalar(p.key) && p.key.value === key);
    const block = stringify({ [key]: value });
    const keyRange = (pair?.key as { range?: number[] } | undefined)?.range;
    if (!pair || !keyRange) {
      appended.push(block);
      continue;
    }
    const end = (pair.value as { range?: number[] } | null)?.range?.[1] ?? keyRange[1];
    edits.push({ start: keyRange[0], end, text: text.slice(keyRange[0], end).endsWith('\n') ? block : block.replace(/\n$/, '') });
  }
  let out = text;
  for (const edit of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  if (appended.length === 0) return out;
  return `${out}${out === '' || out.endsWith('\n') ? '' : '\n'}${appended.join('')}`;
}

/** A top-level value with the scalar types kustomize's Kustomization struct expects. */
function typed(key: string, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  if (key === 'replicas') return value.map((r) => (isRecord(r) && typeof r.count === 'string' && /^-?\d+$/.test(r.count) ? { ...r, count: Number(r.count) } : r));
  if (key === 'labels') return value.map((l) => (isRecord(l) ? booleans(l, ['includeSelectors', 'includeTemplates']) : l));
  if (key === 'patches') return value.map((p) => (isRecord(p) && isRecord(p.options) ? { ...p, options: booleans(p.options, Object.keys(p.options)) } : p));
  return value;
}

function booleans(record: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = { ...record };
  for (const key of keys) if (out[key] === 'true' || out[key] === 'false') out[key] = out[key] === 'true';
  return out;
}
