/**
 * Reading a directory tree that may be hostile, without ever leaving it (SECURITY.md §1: CVE-2022-24348,
 * CVE-2022-24904, CVE-2022-31036). Every path is relative to the root, `/`-separated; absolute paths,
 * `..` escapes and symlinks whose target (resolved all the way) lies outside the root are refused,
 * and the refusal never names the target or quotes its bytes. Only regular files are read (a FIFO or
 * device would block or stream forever), each under a size cap, and one render has a budget of
 * files visited and bytes read.
 */
import { lstat, open, readdir, readlink, realpath, stat } from 'node:fs/promises';
import { dirname, posix, resolve, sep } from 'node:path';
import { renderError } from './errors.ts';
import type { RenderLimits } from './types.ts';

/** Where a path was named, so a refusal can point at the line that named it. */
export interface NamedAt {
  file: string;
  line?: number;
}

export type EntryKind = 'file' | 'dir' | 'missing';

/** A root directory and the budget of one render inside it. */
export class ConfinedTree {
  private files = 0;
  private bytes = 0;

  private constructor(
    /** The root, symlinks resolved. */
    readonly root: string,
    readonly limits: RenderLimits,
  ) {}

  static async open(root: string, limits: RenderLimits): Promise<ConfinedTree> {
    try {
      return new ConfinedTree(await realpath(root), limits);
    } catch {
      throw renderError('', 'the render root does not exist or cannot be read');
    }
  }

  /**
   * The root-relative path that `entry` names from folder `fromDir`; refuses absolute paths and
   * paths that climb out of the root.
   * @example tree.resolveEntry('api/overlays/dev', '../../base', at) // 'api/base'
   */
  resolveEntry(fromDir: string, entry: string, at: NamedAt): string {
    if (entry.startsWith('/') || /^[a-z]:[\\/]/i.test(entry)) {
      throw renderError(at.file, `absolute path "${entry}" is not allowed`, at.line);
    }
    const joined = posix.normalize(posix.join(fromDir, entry));
    if (joined === '..' || joined.startsWith('../')) {
      throw renderError(at.file, `path "${entry}" leaves the root`, at.line);
    }
    return joined.replace(/\/$/, '') || '.';
  }

  /** What a relative path is once symlinks are followed; refuses a path that resolves outside the root. */
  async kindOf(rel: string, at: NamedAt): Promise<EntryKind> {
    const real = await this.realInside(rel, at);
    if (real === undefined) return 'missing';
    const info = await stat(real);
    this.count(at);
    if (info.isDirectory()) return 'dir';
    if (info.isFile()) return 'file';
    throw renderError(at.file, `"${rel}" is not a regular file`, at.line);
  }

  /** The bytes of a regular file inside the root, within the size caps. */
  async readFile(rel: string, at: NamedAt): Promise<Buffer> {
    const real = await this.realInside(rel, at);
    if (real === undefined) throw renderError(at.file, `"${rel}" does not exist`, at.line);
    const handle = await open(real, 'r').catch(() => {
      throw renderError(rel, 'file cannot be read (check its permissions)');
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw renderError(rel, 'not a regular file');
      this.spend(rel, info.size);
      const buffer = Buffer.alloc(info.size);
      const { bytesRead } = await handle.read(buffer, 0, info.size, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** Names in a folder, sorted by name (as Go's filepath.Walk visits them); counts toward the budget. */
  async list(rel: string, at: NamedAt): Promise<Array<{ name: string; kind: EntryKind | 'symlink' }>> {
    const real = await this.realInside(rel, at);
    if (real === undefined) throw renderError(at.file, `"${rel}" does not exist`, at.line);
    const entries = await readdir(real, { withFileTypes: true });
    if (this.files + entries.length > this.limits.maxFiles) this.overFiles(at);
    this.files += entries.length;
    return entries
      .map((e) => ({ name: e.name, kind: e.isSymbolicLink() ? ('symlink' as const) : e.isDirectory() ? ('dir' as const) : e.isFile() ? ('file' as const) : ('missing' as const) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private async realInside(rel: string, at: NamedAt): Promise<string | undefined> {
    const absolute = rel === '.' ? this.root : `${this.root}${sep}${rel}`;
    let real: string;
    try {
      real = await realpath(absolute);
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return this.missing(absolute, rel, at);
      if (isCode(error, 'ELOOP')) throw renderError(at.file, `"${rel}" is a symlink loop`, at.line);
      throw renderError(at.file, `"${rel}" cannot be read`, at.line);
    }
    if (real !== this.root && !real.startsWith(this.root + sep)) this.outside(rel, at);
    return real;
  }

  /** A path that does not resolve: missing, unless it is a dangling symlink aimed outside the root. */
  private async missing(absolute: string, rel: string, at: NamedAt): Promise<undefined> {
    const link = await lstat(absolute).then((info) => (info.isSymbolicLink() ? readlink(absolute) : undefined), () => undefined);
    if (link !== undefined) {
      const target = resolve(dirname(absolute), link);
      if (target !== this.root && !target.startsWith(this.root + sep)) this.outside(rel, at);
    }
    return undefined;
  }

  private outside(rel: string, at: NamedAt): never {
    // Never name or read the target: its path or bytes may be secret (/proc/self/environ).
    if (at.file === rel) throw renderError(rel, 'symlink points outside the root: refused');
    throw renderError(at.file, `"${rel}" is a symlink that points outside the root: refused`, at.line);
  }

  private count(at: NamedAt): void {
    if (++this.files > this.limits.maxFiles) this.overFiles(at);
  }

  private overFiles(at: NamedAt): never {
    throw renderError(at.file, `more than ${this.limits.maxFiles} files and folders: refused`);
  }

  private spend(rel: string, size: number): void {
    if (size > this.limits.maxFileBytes) {
      throw renderError(rel, `file is ${size} bytes, over the ${this.limits.maxFileBytes}-byte cap: refused`);
    }
    this.bytes += size;
    if (this.bytes > this.limits.maxTotalBytes) {
      throw renderError(rel, `the files read exceed the ${this.limits.maxTotalBytes}-byte cap of one render: refused`);
    }
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}
