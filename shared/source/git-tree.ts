/**
 * Writes the tree of one commit from an isomorphic-git object store into a `SafeTree`. Names come
 * from tree objects the host sent, so each is checked to be one plain path component (a crafted tree
 * could hold `..` or `a/b`); modes map to file, executable file, symlink or directory, and a
 * submodule becomes an empty directory, as `git archive` makes it.
 */
import git from 'isomorphic-git';
import { SourceRefusedError, quoteName } from './errors.ts';
import type { SafeTree } from './safe-tree.ts';
import type { SourceLimits } from './types.ts';

/** Where the objects are: isomorphic-git's `fs`, `gitdir` and object cache. */
export interface ObjectStore {
  fs: unknown;
  gitdir: string;
  cache: object;
}

/** Writes the tree of commit `sha` into `out` (directories first, then each entry in tree order). */
export async function writeGitTree(store: ObjectStore, sha: string, out: SafeTree, limits: SourceLimits): Promise<void> {
  const { commit } = await git.readCommit({ ...store, fs: store.fs as never, oid: sha });
  await writeTree(store, commit.tree, [], out, limits);
}

async function writeTree(store: ObjectStore, oid: string, path: string[], out: SafeTree, limits: SourceLimits): Promise<void> {
  const { tree } = await git.readTree({ ...store, fs: store.fs as never, oid });
  for (const entry of tree) {
    const parts = [...path, checkName(entry.path, path)];
    if (parts.length > limits.maxDepth) throw new SourceRefusedError(`refused entry ${quoteName(parts.join('/'))}: nested deeper than ${limits.maxDepth} levels`);
    switch (entry.mode) {
      case '040000':
        await out.directory(parts);
        await writeTree(store, entry.oid, parts, out, limits);
        break;
      case '100644':
      case '100755': {
        const { blob } = await git.readBlob({ ...store, fs: store.fs as never, oid: entry.oid });
        await out.file(parts, blob.byteLength, entry.mode === '100755', blob);
        break;
      }
      case '120000': {
        const { blob } = await git.readBlob({ ...store, fs: store.fs as never, oid: entry.oid });
        await out.symlink(parts, Buffer.from(blob).toString('utf8'));
        break;
      }
      case '160000':
        await out.directory(parts);
        break;
      default:
        throw new SourceRefusedError(`refused entry ${quoteName(parts.join('/'))}: mode ${entry.mode} is not allowed`);
    }
  }
}

function checkName(name: string, parent: string[]): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new SourceRefusedError(`refused entry ${quoteName([...parent, name].join('/'))}: not a plain file name`);
  }
  return name;
}
