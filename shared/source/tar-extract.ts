/**
 * Streaming extraction of a (gzipped) tar archive into a `SafeTree`: the GitHub tarball and the
 * `git archive` of a local repository both come through here. The decompressed stream is counted
 * against `maxBytes` before the tar reader (tar-reader.ts) sees it, so a gzip bomb stops at the cap
 * (GHSA-g687-f2gx-6wm8); the reader is strict (a corrupt header is an error, not a skipped entry);
 * only files, directories and symlinks are accepted (hard links, devices and FIFOs are refused).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { TarFormatError, TarReader, type TarEntry } from './tar-reader.ts';
import { SourceError, SourceRefusedError, describeError, quoteName } from './errors.ts';
import { entryComponents } from './entry-path.ts';
import type { SafeTree } from './safe-tree.ts';
import type { SourceLimits } from './types.ts';

/** How to read one archive. */
export interface TarOptions {
  gzip: boolean;
  /** Drop the single top-level directory every entry must be under (GitHub's `<owner>-<repo>-<sha7>/`). */
  stripTopDirectory: boolean;
  limits: SourceLimits;
}

/** Unpacks `source` into `tree`; resolves once every entry is written and every link re-checked. */
export async function extractTar(source: AsyncIterable<Uint8Array> | Readable, tree: SafeTree, options: TarOptions): Promise<void> {
  const sink = new EntrySink(tree, options);
  const input = source instanceof Readable ? source : Readable.from(source);
  const consume = (bytes: AsyncIterable<Buffer>) => sink.consume(bytes);
  try {
    await (options.gzip ? pipeline(input, createGunzip(), consume) : pipeline(input, consume));
  } catch (error) {
    const first = sink.error ?? error; // a refusal, not the abort it caused upstream
    throw first instanceof SourceError ? first : new SourceRefusedError(`refused archive: ${describeError(first)}`);
  }
  await tree.finish();
}

/** Reads the entries of the counted byte stream and writes them one at a time, in archive order. */
class EntrySink {
  private top: string | undefined;
  /** The first error reading or writing raised, if any (the pipeline may report the abort it caused instead). */
  error: unknown;

  constructor(
    private readonly tree: SafeTree,
    private readonly options: TarOptions,
  ) {}

  async consume(input: AsyncIterable<Buffer>): Promise<void> {
    const reader = new TarReader(this.counted(input));
    try {
      for await (const entry of reader.entries()) await this.write(entry);
      // What follows the end marker (a record's padding) is read and counted too.
      await reader.drain();
    } catch (error) {
      this.error = error instanceof TarFormatError ? new SourceRefusedError(`refused archive: ${error.message}`) : error;
      throw this.error;
    }
    // A cut-off stream can end between two headers and look complete: only the end marker proves it is not.
    if (!reader.ended) throw new SourceRefusedError('refused archive: truncated (no end-of-archive marker)');
  }

  /** The decompressed bytes, stopped at the cap before the reader sees more (a gzip bomb). */
  private async *counted(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    let total = 0;
    for await (const chunk of input) {
      total += chunk.byteLength;
      if (total > this.options.limits.maxBytes) {
        throw new SourceRefusedError(`refused archive: more than ${this.options.limits.maxBytes} bytes unpacked (limit reached)`);
      }
      yield chunk;
    }
  }

  private async write(entry: TarEntry): Promise<void> {
    const path = this.relative(entry.path);
    switch (entry.type) {
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        if (path.length === 0) throw new SourceRefusedError(`refused entry ${quoteName(entry.path)}: a file at the top level`);
        return this.tree.file(path, entry.size, (entry.mode & 0o111) !== 0, entry.body);
      case 'Directory':
        return this.tree.directory(path);
      case 'SymbolicLink':
        return this.tree.symlink(path, entry.linkpath);
      default:
        throw new SourceRefusedError(`refused entry ${quoteName(entry.path)}: type ${entry.type} is not allowed (only files, directories and symlinks)`);
    }
  }

  /** The entry's components below the top directory (when stripped), checked by `entryComponents`. */
  private relative(name: string): string[] {
    const parts = entryComponents(name, this.options.limits.maxDepth, this.options.stripTopDirectory ? 1 : 0);
    if (!this.options.stripTopDirectory) return parts;
    this.top ??= parts[0];
    if (parts.length === 0 || parts[0] !== this.top) {
      throw new SourceRefusedError(`refused entry ${quoteName(name)}: outside the archive's top directory ${quoteName(this.top ?? '')}`);
    }
    return parts.slice(1);
  }
}
