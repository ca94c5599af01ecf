// Hand-made tar archives for the abuse tests: a ustar header is 512 bytes of fixed fields, so any
// entry a real tool would refuse to write (`../x`, `/etc/x`, a device, a mode-000 file) can be made.
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  name: string;
  /** '0' file, '2' symlink, '1' hard link, '3' char device, '5' directory, '6' FIFO, 'x' pax header. */
  type?: string;
  body?: Buffer | string;
  mode?: number;
  linkname?: string;
  /** Declared size when it must differ from the body (a lying header). */
  size?: number;
}

function field(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value.slice(0, length), offset, length, 'utf8');
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

/** One 512-byte ustar header (checksum filled in). */
export function tarHeader(entry: TarEntry, size: number): Buffer {
  const header = Buffer.alloc(512);
  field(header, 0, 100, entry.name);
  field(header, 100, 8, octal(entry.mode ?? (entry.type === '5' ? 0o755 : 0o644), 8));
  field(header, 108, 8, octal(0, 8));
  field(header, 116, 8, octal(0, 8));
  field(header, 124, 12, octal(size, 12));
  field(header, 136, 12, octal(1_700_000_000, 12));
  field(header, 148, 8, '        ');
  field(header, 156, 1, entry.type ?? '0');
  field(header, 157, 100, entry.linkname ?? '');
  field(header, 257, 6, 'ustar\0');
  field(header, 263, 2, '00');
  let sum = 0;
  for (const byte of header) sum += byte;
  field(header, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return header;
}

function pad(body: Buffer): Buffer {
  const rest = body.length % 512;
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(512 - rest)]);
}

/** A pax extended header ('x') giving the next entry a long path. */
export function paxPath(path: string): TarEntry {
  const record = (len: number) => `${len} path=${path}\n`;
  let len = record(0).length;
  while (record(len).length !== len) len = record(len).length;
  return { name: 'PaxHeader', type: 'x', body: record(len) };
}

/** An uncompressed tar archive of `entries`. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    parts.push(tarHeader(entry, entry.size ?? body.length), pad(body));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A gzipped tar archive of `entries`. */
export function tgz(entries: TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}
