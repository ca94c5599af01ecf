/**
 * A strict, pull-based reader of tar archives, for what GitHub's tarballs and `git archive` write:
 * ustar headers (name with its prefix), pax extended headers (`x` for the next entry, `g` for all
 * that follow: path, linkpath and size) and GNU long names (`L`, `K`). It replaces the `tar` package
 * (85 kB of the render λ's bundle) behind tar-extract.ts, which still decides what is allowed and
 * writes only through SafeTree.
 *
 * Strict: a header whose checksum does not add up, a number that is not octal (or base-256), a cut
 * in a header or a body, and bytes that follow no header are errors, never skipped. `ended` says
 * whether the end-of-archive block was seen: a stream cut between two entries has none.
 */
export type TarEntryType =
  | 'File' | 'OldFile' | 'Link' | 'SymbolicLink' | 'CharacterDevice' | 'BlockDevice' | 'Directory' | 'FIFO' | 'ContiguousFile'
  | `Unknown ${string}`;

export interface TarEntry {
  path: string;
  type: TarEntryType;
  size: number;
  mode: number;
  linkpath: string;
  /** The entry's bytes; read them before asking for the next entry, or they are skipped. */
  body: AsyncIterable<Buffer>;
}

/** The archive breaks the format (the message says how); tar-extract.ts refuses the archive with it. */
export class TarFormatError extends Error {
  override readonly name = 'TarFormatError';
}

const BLOCK = 512;
const TYPES: Record<string, TarEntryType> = {
  '0': 'File', '\0': 'OldFile', '1': 'Link', '2': 'SymbolicLink', '3': 'CharacterDevice', '4': 'BlockDevice',
  '5': 'Directory', '6': 'FIFO', '7': 'ContiguousFile',
};
/** Extended headers larger than this are refused (GitHub's are a few hundred bytes). */
const MAX_META_BYTES = 1024 * 1024;

type Overrides = Partial<Record<'path' | 'linkpath' | 'size', string>>;

/** Reads the entries of the tar stream `input`, one at a time. */
export class TarReader {
  private readonly bytes: ByteReader;
  private global: Overrides = {};
  private unread = 0;
  /** True once the end-of-archive block was read. */
  ended = false;

  constructor(input: AsyncIterable<Buffer>) {
    this.bytes = new ByteReader(input[Symbol.asyncIterator]());
  }

  async *entries(): AsyncGenerator<TarEntry> {
    let local: Overrides = {};
    for (;;) {
      await this.bytes.skip(this.unread);
      this.unread = 0;
      const header = await this.bytes.read(BLOCK, true);
      if (!header) return;
      if (header.every((b) => b === 0)) {
        this.ended = true;
        return;
      }
      checkSum(header);
      const flag = String.fromCharCode(header[156]);
      const size = number(header, 124, 12, 'size');
      const padded = Math.ceil(size / BLOCK) * BLOCK;
      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        if (size > MAX_META_BYTES) throw new TarFormatError(`extended header of ${size} bytes (more than ${MAX_META_BYTES})`);
        const data = (await this.bytes.read(padded))!.subarray(0, size);
        if (flag === 'x') local = { ...local, ...paxRecords(data) };
        else if (flag === 'g') this.global = { ...this.global, ...paxRecords(data) };
        else local = { ...local, [flag === 'L' ? 'path' : 'linkpath']: text(data, 0, data.length) };
        continue;
      }
      const meta = { ...this.global, ...local };
      local = {};
      const entrySize = meta.size !== undefined ? decimal(meta.size) : size;
      this.unread = Math.ceil(entrySize / BLOCK) * BLOCK;
      const remaining = { bytes: entrySize };
      yield {
        path: meta.path ?? headerName(header),
        type: TYPES[flag] ?? `Unknown ${JSON.stringify(flag)}`,
        size: entrySize,
        mode: number(header, 100, 8, 'mode'),
        linkpath: meta.linkpath ?? text(header, 157, 100),
        body: this.body(remaining),
      };
    }
  }

  /** Drains whatever follows the end-of-archive block (a record's padding), so it is counted and read. */
  async drain(): Promise<void> {
    while (await this.bytes.read(BLOCK, true));
  }

  private async *body(remaining: { bytes: number }): AsyncGenerator<Buffer> {
    while (remaining.bytes > 0) {
      const chunk = await this.bytes.upTo(remaining.bytes);
      remaining.bytes -= chunk.length;
      this.unread -= chunk.length;
      yield chunk;
    }
  }
}

/** The POSIX name (prefix/name) of a header; GNU headers use the prefix field for other things. */
function headerName(header: Buffer): string {
  const name = text(header, 0, 100);
  const posix = header.toString('latin1', 257, 263) === 'ustar\0';
  const prefix = posix ? text(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function checkSum(header: Buffer): void {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
  if (number(header, 148, 8, 'checksum') !== sum) throw new TarFormatError('header checksum does not match (corrupt archive)');
}

/** A numeric field: octal text (NUL or space ended), or base-256 when its first byte has the high bit. */
function number(header: Buffer, at: number, length: number, field: string): number {
  if (header[at] & 0x80) {
    let value = header[at] & 0x3f;
    if (header[at] & 0x40) throw new TarFormatError(`negative ${field} in a header`);
    for (let i = at + 1; i < at + length; i++) value = value * 256 + header[i];
    if (!Number.isSafeInteger(value)) throw new TarFormatError(`${field} too large in a header`);
    return value;
  }
  const digits = header.toString('latin1', at, at + length).replace(/[\0 ]+$/, '').replace(/^ +/, '');
  if (!/^[0-7]*$/.test(digits)) throw new TarFormatError(`${field} field is not an octal number`);
  return digits === '' ? 0 : parseInt(digits, 8);
}

function decimal(value: string): number {
  if (!/^\d{1,15}$/.test(value)) throw new TarFormatError('pax size is not a number');
  return Number(value);
}

function text(data: Buffer, at: number, length: number): string {
  const end = data.indexOf(0, at);
  return data.toString('utf8', at, end >= 0 && end < at + length ? end : at + length);
}

/** `<length> <key>=<value>\n` records; the keys that change an entry's path, link or size. */
function paxRecords(data: Buffer): Overrides {
  const found: Overrides = {};
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space > at ? Number(data.toString('latin1', at, space)) : NaN;
    if (!Number.isInteger(length) || length <= space - at || at + length > data.length || data[at + length - 1] !== 0x0a) {
      throw new TarFormatError('malformed pax extended header');
    }
    const record = data.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    const key = record.slice(0, eq);
    if (eq > 0 && (key === 'path' || key === 'linkpath' || key === 'size')) found[key] = record.slice(eq + 1);
    at += length;
  }
  return found;
}

/** Exact reads over a stream of chunks. */
class ByteReader {
  private chunk: Buffer = Buffer.alloc(0);

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** The next `n` bytes; at a clean end (no byte left) undefined when `mayEnd`, else a truncation error. */
  async read(n: number, mayEnd = false): Promise<Buffer | undefined> {
    const parts: Buffer[] = [];
    let have = 0;
    while (have < n) {
      if (this.chunk.length === 0 && !(await this.fill())) {
        if (mayEnd && have === 0) return undefined;
        throw new TarFormatError('truncated (the stream ends inside an entry)');
      }
      const take = this.chunk.subarray(0, n - have);
      this.chunk = this.chunk.subarray(take.length);
      parts.push(take);
      have += take.length;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Between 1 and `n` bytes, as they come. */
  async upTo(n: number): Promise<Buffer> {
    if (this.chunk.length === 0 && !(await this.fill())) throw new TarFormatError('truncated (the stream ends inside an entry)');
    const take = this.chunk.subarray(0, n);
    this.chunk = this.chunk.subarray(take.length);
    return take;
  }

  async skip(n: number): Promise<void> {
    for (let left = n; left > 0;) left -= (await this.upTo(Math.min(left, 64 * 1024))).length;
  }

  private async fill(): Promise<boolean> {
    for (;;) {
      const next = await this.source.next();
      if (next.done) return false;
      if (next.value.length > 0) {
        this.chunk = next.value;
        return true;
      }
    }
  }
}
