/**
 * Plain-directory sources, as Argo CD reads them: the `.yaml`, `.yml` and `.json` files of the source
 * folder (and of its subfolders with `directory.recurse`) in the order Go's filepath.Walk visits them
 * (names sorted within each folder), filtered by `directory.include` / `directory.exclude`. The globs
 * are matched against the path relative to the source folder, with `{a,b}` lists, and `*` also
 * crosses `/` (Argo CD's glob has no separator). Every symlink met on the way is checked: one that
 * leaves the root fails the render, without reading or naming its target.
 */
import picomatch from 'picomatch';
import type { ConfinedTree } from './confine.ts';
import { RenderError, renderError, type RenderProblem } from './errors.ts';
import type { SourcedValue } from './objects.ts';
import type { DirectorySourceOptions } from './types.ts';
import { parseManifestStream } from './yaml.ts';

const MANIFEST = /\.(yaml|yml|json)$/;
const JSONNET = /\.(jsonnet|libsonnet)$/;

/** The documents of a plain-directory source. Throws RenderError listing every malformed file. */
export async function readDirectorySource(tree: ConfinedTree, path: string, options: DirectorySourceOptions = {}): Promise<SourcedValue[]> {
  const at = { file: path };
  const kind = await tree.kindOf(path, at);
  if (kind !== 'dir') throw renderError(path, kind === 'missing' ? 'source path does not exist' : 'source path is not a folder');
  const accept = fileFilter(options);
  const files: string[] = [];
  await walk(tree, path, path, !!options.recurse, accept, files, 0);
  const values: SourcedValue[] = [];
  const problems: RenderProblem[] = [];
  for (const file of files) {
    const bytes = await tree.readFile(file, { file });
    const stream = parseManifestStream(bytes.toString('utf8'), file, tree.limits.maxAliasCount);
    problems.push(...stream.problems);
    for (const doc of stream.documents) values.push({ value: doc.value, source: { file, document: doc.index, line: doc.line } });
  }
  if (problems.length > 0) throw new RenderError(problems);
  return values;
}

async function walk(tree: ConfinedTree, base: string, dir: string, recurse: boolean, accept: (rel: string) => boolean, out: string[], depth: number): Promise<void> {
  if (depth > tree.limits.maxDepth) throw renderError(dir, `folders nest deeper than ${tree.limits.maxDepth} levels`);
  for (const entry of await tree.list(dir, { file: dir })) {
    const rel = dir === '.' ? entry.name : `${dir}/${entry.name}`;
    const kind = entry.kind === 'symlink' ? await tree.kindOf(rel, { file: rel }) : entry.kind;
    if (entry.kind === 'dir') {
      if (recurse && entry.name !== '.git') await walk(tree, base, rel, recurse, accept, out, depth + 1);
      continue; // a symlinked folder is checked above but, as in filepath.Walk, not entered
    }
    if (kind !== 'file') continue;
    const relToSource = base === '.' ? rel : rel.slice(base.length + 1);
    if (JSONNET.test(entry.name) && accept(relToSource)) {
      throw renderError(rel, 'Jsonnet is not supported: render it to YAML or exclude it with directory.exclude');
    }
    if (MANIFEST.test(entry.name) && accept(relToSource)) out.push(rel);
  }
}

/** Argo CD's include/exclude test on a path relative to the source folder. */
function fileFilter(options: DirectorySourceOptions): (relPath: string) => boolean {
  const glob = { bash: true, dot: true };
  const include = options.include ? picomatch(options.include, glob) : undefined;
  const exclude = options.exclude ? picomatch(options.exclude, glob) : undefined;
  return (relPath) => !(exclude?.(relPath) ?? false) && (include?.(relPath) ?? true);
}
