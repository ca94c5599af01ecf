/**
 * The one place where a checkout is written to disk, whatever the adapter (tarball, git objects, a
 * local directory). It enforces the caps (entries, bytes, bytes per file, depth), never writes
 * through a symlink, never overwrites an entry, checks every symlink target, and ignores the
 * archive's modes: files are 0644 (0755 when executable) and directories 0755, so a mode-000 entry
 * can always be read and removed (GHSA-g687-f2gx-6wm8). It never reads a file back, so no error can
 * hold the bytes of a refused file.
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { SourceRefusedError, quoteName } from './errors.ts';
import { resolveLinkInside, verifyLinks } from './link-check.ts';
import type { SourceLimits } from './types.ts';

type Body = AsyncIterable<Uint8Array> | Uint8Array;

const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Writes one checkout under `dir` (an existing empty directory) within `limits`. */
export class SafeTree {
  private entries = 0;
  private bytes = 0;
  private readonly dirs = new Set<string>(['']);
  private readonly links: { path: string[]; target: string }[] = [];

  constructor(
    readonly dir: string,
    private readonly limits: SourceLimits,
  ) {}

  /** Entries and bytes written so far. */
  get written(): { entries: number; bytes: number } {
    return { entries: this.entries, bytes: this.bytes };
  }

  /** Makes directory `path` (components) and any missing parent. */
  async directory(path: string[]): Promise<void> {
    await this.ensureDirs(path, path);
  }

  /** Writes file `path` of `size` bytes from `body`; `size` is checked before any byte is read. */
  async file(path: string[], size: number, executable: boolean, body: Body): Promise<void> {
    const name = path.join('/');
    if (path.length === 0) throw new SourceRefusedError('refused entry: a file cannot be the checkout root');
    if (size > this.limits.maxFileBytes) throw this.capHit(`file ${quoteName(name)} is larger than ${this.limits.maxFileBytes} bytes`);
    this.count(size);
    await this.ensureDirs(path.slice(0, -1), path);
    const handle = await open(join(this.dir, ...path), WRITE_FLAGS, executable ? 0o755 : 0o644).catch((error) => {
      throw this.writeRefused(name, error);
    });
    try {
      let seen = 0;
      for await (const chunk of body instanceof Uint8Array ? [body] : body) {
        seen += chunk.byteLength;
        if (seen > size) throw this.capHit(`file ${quoteName(name)} holds more bytes than its header says`);
        await handle.write(chunk);
      }
    } finally {
      await handle.close();
    }
  }

  /** Makes symlink `path` → `target`, refused unless the target stays inside the checkout. */
  async symlink(path: string[], target: string): Promise<void> {
    const name = path.join('/');
    if (path.length === 0) throw new SourceRefusedError('refused entry: a symlink cannot be the checkout root');
    if (target.length === 0 || target.includes('\0')) throw new SourceRefusedError(`refused symlink ${quoteName(name)}: empty or NUL target`);
    this.count(0);
    await this.ensureDirs(path.slice(0, -1), path);
    await resolveLinkInside(this.dir, path, target);
    await symlink(target, join(this.dir, ...path)).catch((error) => {
      throw this.writeRefused(name, error);
    });
    this.links.push({ path, target });
  }

  /** Re-checks every symlink now that the tree is complete. Call once, after the last entry. */
  async finish(): Promise<void> {
    await verifyLinks(this.dir, this.links);
  }

  private count(bytes: number): void {
    if (++this.entries > this.limits.maxFiles) throw this.capHit(`more than ${this.limits.maxFiles} entries`);
    this.bytes += bytes;
    if (this.bytes > this.limits.maxBytes) throw this.capHit(`more than ${this.limits.maxBytes} bytes`);
  }

  /** Creates each missing directory of `path`; an existing component must be a real directory. */
  private async ensureDirs(path: string[], entry: string[]): Promise<void> {
    for (let depth = 1; depth <= path.length; depth++) {
      const key = path.slice(0, depth).join('/');
      if (this.dirs.has(key)) continue;
      const full = join(this.dir, ...path.slice(0, depth));
      const info = await lstat(full).catch(() => undefined);
      if (info && !info.isDirectory()) {
        throw new SourceRefusedError(`refused entry ${quoteName(entry.join('/'))}: ${quoteName(key)} is not a directory (a file or a symlink)`);
      }
      if (!info) {
        this.count(0);
        await mkdir(full, { mode: 0o755 });
      }
      this.dirs.add(key);
    }
  }

  private capHit(what: string): SourceRefusedError {
    return new SourceRefusedError(`refused checkout: ${what} (limit reached)`);
  }

  private writeRefused(name: string, error: unknown): SourceRefusedError {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'EEXIST' || code === 'ELOOP' ? 'appears twice in the archive' : `cannot be written (${code})`;
    return new SourceRefusedError(`refused entry ${quoteName(name)}: ${why}`);
  }
}
