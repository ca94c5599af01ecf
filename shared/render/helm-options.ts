/**
 * The Application's `spec.source.helm` as `helm template` arguments, with Argo CD's semantics and
 * order: value files first (resolved inside the repository, or inside the chart for a chart
 * repository; a missing one is an error unless `ignoreMissingValueFiles`), then `values` /
 * `valuesObject` (the object wins) as one more values file, then `parameters` (`--set`, or
 * `--set-string` with `forceString`), then `fileParameters` (`--set-file`, inside the repository).
 * Every file is read through the ConfinedTree (caps, no escape) and copied into the scratch folder,
 * so helm only ever opens files that passed those checks.
 */
import { stringify } from 'yaml';
import type { ConfinedTree } from './confine.ts';
import { renderError } from './errors.ts';
import { looksRemote, quoteEntry } from './remote.ts';
import type { HelmSourceOptions } from './types.ts';

/** The files to write into the scratch folder (relative names) and the flags that name them. */
export interface HelmValueArgs {
  files: Map<string, Buffer | string>;
  args: string[];
}

/**
 * Flags and files for the values of one render. `chartPath` is the chart folder inside `tree`.
 * @example (await helmValueArgs(tree, 'charts/agent', { parameters: [{ name: 'a', value: 'b' }] })).args // ['--set', 'a=b']
 */
export async function helmValueArgs(tree: ConfinedTree, chartPath: string, helm: HelmSourceOptions): Promise<HelmValueArgs> {
  const files = new Map<string, Buffer | string>();
  const args: string[] = [];
  for (const [i, entry] of (helm.valueFiles ?? []).entries()) {
    const field = `spec.source.helm.valueFiles[${i}]`;
    const bytes = await readRepoFile(tree, chartPath, entry, field, helm.ignoreMissingValueFiles === true);
    if (bytes === undefined) continue;
    files.set(`values/${i}.yaml`, bytes);
    args.push('--values', `values/${i}.yaml`);
  }
  const inline = inlineValues(helm);
  if (inline !== undefined) {
    files.set('values/inline.yaml', inline);
    args.push('--values', 'values/inline.yaml');
  }
  for (const p of helm.parameters ?? []) args.push(p.forceString ? '--set-string' : '--set', `${p.name}=${escapeSetValue(p.value)}`);
  for (const [i, p] of (helm.fileParameters ?? []).entries()) {
    const bytes = await readRepoFile(tree, chartPath, p.path, `spec.source.helm.fileParameters[${i}].path`, false);
    files.set(`files/${i}`, bytes!);
    args.push('--set-file', `${p.name}=files/${i}`);
  }
  return { files, args };
}

/** `valuesObject` (wins) or `values`, as YAML text; undefined when neither says anything. */
function inlineValues(helm: HelmSourceOptions): string | undefined {
  if (helm.valuesObject !== undefined && Object.keys(helm.valuesObject).length > 0) return stringify(helm.valuesObject);
  if (helm.values !== undefined && helm.values.trim() !== '') return helm.values;
  return undefined;
}

/**
 * A `--set` value as Argo CD passes it: commas escaped (helm would split on them) unless the value
 * is a `{a,b}` list.
 */
export function escapeSetValue(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  return value.replace(/(?<!\\),/g, '\\,');
}

/** A file named relative to the chart folder, confined to the tree; undefined when missing and allowed. */
async function readRepoFile(tree: ConfinedTree, chartPath: string, entry: string, field: string, allowMissing: boolean): Promise<Buffer | undefined> {
  if (looksRemote(entry) || entry.startsWith('$')) {
    throw renderError(field, `${quoteEntry(entry)} is refused: only files in the repository are read (no URLs, no multi-source $refs)`);
  }
  const rel = tree.resolveEntry(chartPath, entry, { file: field });
  const kind = await tree.kindOf(rel, { file: field });
  if (kind === 'missing') {
    if (allowMissing) return undefined;
    throw renderError(field, `${quoteEntry(entry)} does not exist (set ignoreMissingValueFiles to skip missing value files)`);
  }
  if (kind === 'dir') throw renderError(field, `${quoteEntry(entry)} is a folder; a file is expected`);
  return tree.readFile(rel, { file: field });
}
