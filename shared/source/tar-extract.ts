/**
 * Streaming extraction of a (gzipped) tar archive into a `SafeTree`: the GitHub tarball and the
 * `git archive` of a local repository both come through here. The decompressed stream is counted
 * against `maxBytes` before the tar parser sees it, so a gzip bomb stops at the cap
 * (GHSA-g687-f2gx-6wm8); the parser is strict (a corrupt header is an error, not a skipped entry);
 * only files, directories and symlinks are accepted (hard links, devices and FIFOs are refused).
 */
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
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

/** Feeds bytes to the tar parser and writes its entries one at a time, in archive order. */
class EntrySink {
  private readonly parser = new Parser({ strict: true });
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;
  /** The first error an entry or the parser raised, if any. */
  get error(): unknown {
    return this.failure;
  }
  private readonly failed: Promise<never>;
  private fail!: (error: unknown) => void;
  private top: string | undefined;
  private sawEnd = false;

  constructor(
    private readonly tree: SafeTree,
    private readonly options: TarOptions,
  ) {
    this.failed = new Promise<never>((_, reject) => (this.fail = reject));
    this.failed.catch(() => undefined);
    this.parser.on('entry', (entry: ReadEntry) => {
      this.chain = this.chain.then(() => this.write(entry)).catch((error) => this.stop(error, entry));
    });
    this.parser.on('eof', () => (this.sawEnd = true));
    this.parser.on('error', (error: Error) => this.stop(new SourceRefusedError(`refused archive: ${describeError(error)}`)));
  }

  async consume(input: AsyncIterable<Buffer>): Promise<void> {
    let total = 0;
    for await (const chunk of input) {
      total += chunk.byteLength;
      if (total > this.options.limits.maxBytes) {
        this.stop(new SourceRefusedError(`refused archive: more than ${this.options.limits.maxBytes} bytes unpacked (limit reached)`));
      }
      if (this.failure) throw this.failure;
      if (!this.parser.write(chunk)) await Promise.race([once(this.parser, 'drain'), this.failed]);
    }
    const ended = once(this.parser, 'end');
    this.parser.end();
    await Promise.race([ended, this.failed]);
    await this.chain;
    if (this.failure) throw this.failure;
    // A cut-off stream can end between two headers and look complete: only the end marker proves it is not.
    if (!this.sawEnd) throw new SourceRefusedError('refused archive: truncated (no end-of-archive marker)');
  }

  private stop(error: unknown, entry?: ReadEntry): void {
    entry?.resume();
    if (this.failure) return;
    this.failure = error;
    this.fail(error);
  }

  private async write(entry: ReadEntry): Promise<void> {
    if (this.failure) return void entry.resume();
    const path = this.relative(entry.path);
    switch (entry.type) {
      case 'File':
      case 'OldFile':
      case 'ContiguousFile':
        if (path.length === 0) throw new SourceRefusedError(`refused entry ${quoteName(entry.path)}: a file at the top level`);
        return this.tree.file(path, entry.size, ((entry.mode ?? 0) & 0o111) !== 0, entry);
      case 'Directory':
        entry.resume();
        return this.tree.directory(path);
      case 'SymbolicLink':
        entry.resume();
        return this.tree.symlink(path, entry.linkpath ?? '');
      default:
        entry.resume();
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
