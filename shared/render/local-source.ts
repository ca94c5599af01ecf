/**
 * Rendering a folder of the user's working tree (the CLI): which root confines the render and where
 * the folder is inside it. The root is `--root` when given, else the Git top level that contains
 * the folder (the nearest parent with a `.git` entry), else the current directory. The folder must
 * lie inside the root; nothing outside the root is read.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { renderError } from './errors.ts';

export interface LocalSource {
  /** Absolute root, symlinks resolved. */
  root: string;
  /** The folder relative to the root, `/`-separated (`.` for the root itself). */
  path: string;
}

/** The nearest folder at or above `start` that holds a `.git` entry, or undefined. */
export function findGitTopLevel(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, '.git'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The root and relative path for rendering `pathArg` (relative to `cwd`).
 * @throws RenderError when the folder is outside the root.
 * @example resolveLocalSource('api/overlays/dev', undefined, '/repo') // { root: '/repo', path: 'api/overlays/dev' } in a Git checkout at /repo
 */
export function resolveLocalSource(pathArg: string, rootArg: string | undefined, cwd: string): LocalSource {
  const target = realOrResolved(resolve(cwd, pathArg));
  const root = realOrResolved(rootArg !== undefined ? resolve(cwd, rootArg) : (findGitTopLevel(target) ?? cwd));
  const rel = relative(root, target);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw renderError(pathArg, `is outside the root ${rootArg ?? root}; pass --root with a folder that contains it`);
  }
  return { root, path: rel === '' ? '.' : rel.split(sep).join('/') };
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
