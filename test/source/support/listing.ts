// A checkout as comparable text: one line per entry with its kind, mode and content digest (or
// link target), sorted; and the same listing computed from Git's own view of a commit.
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { FixtureRepo } from './repo.ts';

const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex').slice(0, 16);

/** Files and symlinks under `dir` (directories are implied by their contents). */
export function listCheckout(dir: string, prefix = ''): string[] {
  const lines: string[] = [];
  for (const name of readdirSync(join(dir, prefix))) {
    const path = prefix ? `${prefix}/${name}` : name;
    const info = lstatSync(join(dir, path));
    if (info.isDirectory()) lines.push(...listCheckout(dir, path));
    else if (info.isSymbolicLink()) lines.push(`link ${path} -> ${readlinkSync(join(dir, path))}`);
    else lines.push(`file ${path} ${info.mode & 0o111 ? 'x' : '-'} ${digest(readFileSync(join(dir, path)))}`);
  }
  return lines.sort();
}

/** The same listing from `git ls-tree` and `git cat-file` of commit `sha`. */
export function listCommit(repo: FixtureRepo, sha: string): string[] {
  const lines: string[] = [];
  for (const row of repo.git('ls-tree', '-r', '-z', '--full-tree', sha).split('\0').filter(Boolean)) {
    const [meta, path] = row.split('\t');
    const [mode, , oid] = meta.split(' ');
    const bytes = repo.gitBytes('cat-file', 'blob', oid);
    if (mode === '120000') lines.push(`link ${path} -> ${bytes.toString('utf8')}`);
    else lines.push(`file ${path} ${mode === '100755' ? 'x' : '-'} ${digest(bytes)}`);
  }
  return lines.sort();
}
