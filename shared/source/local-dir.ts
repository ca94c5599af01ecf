/**
 * A plain directory (not a Git repository) used as a source by the embedded runtime. It has no
 * commits, so its "revision" is a digest of its content: SHA-256 over every entry's path, kind,
 * executable bit and bytes (or link target), in sorted order. The same walk copies it into the
 * checkout through `SafeTree` (symlinks are not followed; one leading outside is refused, as in a
 * tarball; sockets, FIFOs and devices are refused), and the copy is refused when its digest is not
 * the one resolved, so a render never mixes two states of the directory.
 */
import { createHash, type Hash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceRefusedError, quoteName } from './errors.ts';
import { SafeTree } from './safe-tree.ts';
import type { SourceLimits } from './types.ts';

/** The content digest of directory `root` (64 hex digits); copies it into `out` when given. */
export async function digestDirectory(root: string, limits: SourceLimits, signal: AbortSignal, out?: SafeTree): Promise<string> {
  const hash = createHash('sha256');
  const counter = { entries: 0, bytes: 0 };
  await walk(root, [], { hash, limits, signal, out, counter });
  return hash.digest('hex');
}

interface Walk {
  hash: Hash;
  limits: SourceLimits;
  signal: AbortSignal;
  out?: SafeTree;
  counter: { entries: number; bytes: number };
}

async function walk(root: string, path: string[], w: Walk): Promise<void> {
  const names = (await readdir(join(root, ...path))).sort();
  for (const name of names) {
    w.signal.throwIfAborted();
    const parts = [...path, name];
    const full = join(root, ...parts);
    const info = await lstat(full);
    count(parts, info.isFile() ? info.size : 0, w);
    const label = JSON.stringify(parts.join('/'));
    if (info.isDirectory()) {
      w.hash.update(`dir ${label}\n`);
      await w.out?.directory(parts);
      await walk(root, parts, w);
    } else if (info.isSymbolicLink()) {
      const target = await readlink(full);
      w.hash.update(`link ${label} ${JSON.stringify(target)}\n`);
      await w.out?.symlink(parts, target);
    } else if (info.isFile()) {
      const executable = (info.mode & 0o111) !== 0;
      const bytes = await readFile(full);
      w.hash.update(`file ${label} ${executable ? 'x' : '-'} ${bytes.length}\n`).update(bytes);
      await w.out?.file(parts, bytes.length, executable, bytes);
    } else {
      throw new SourceRefusedError(`refused entry ${quoteName(parts.join('/'))}: not a file, directory or symlink`);
    }
  }
}

/** Caps checked before a file is read, so a huge file is refused without loading it. */
function count(parts: string[], size: number, w: Walk): void {
  const { limits, counter } = w;
  const cap = (what: string) => new SourceRefusedError(`refused checkout: ${what} (limit reached)`);
  if (parts.length > limits.maxDepth) throw cap(`${quoteName(parts.join('/'))} is nested deeper than ${limits.maxDepth} levels`);
  if (size > limits.maxFileBytes) throw cap(`file ${quoteName(parts.join('/'))} is larger than ${limits.maxFileBytes} bytes`);
  if (++counter.entries > limits.maxFiles) throw cap(`more than ${limits.maxFiles} entries`);
  counter.bytes += size;
  if (counter.bytes > limits.maxBytes) throw cap(`more than ${limits.maxBytes} bytes`);
}
