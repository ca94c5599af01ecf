/**
 * Checks a git upload-pack response before isomorphic-git sees it. isomorphic-git indexes a pack by
 * inflating every object in memory, so a small pack of zlib bombs would exhaust the Lambda before
 * any file is written. This guard walks the pack first: it reads each object's declared size from
 * its header (refused above `maxFileBytes` before inflating), inflates it with an output cap equal
 * to that size, reads a delta's result size from its own header, and keeps the sum under
 * `maxBytes`. It also turns a server's `ERR` line ("not our ref": a SHA gone after a force-push)
 * into "source unavailable".
 */
import { inflateSync } from 'node:zlib';
import { SourceFetchError, SourceRefusedError, SourceUnavailableError } from './errors.ts';
import type { SourceLimits } from './types.ts';

const OFS_DELTA = 6;
const REF_DELTA = 7;

/** Checks `response` (the whole side-band body); returns the pack's object count. */
export function guardUploadPack(response: Buffer, limits: SourceLimits, where: string): number {
  return checkPack(demux(response, where), limits);
}

/** The pack bytes (side-band channel 1) of an upload-pack response. */
function demux(response: Buffer, where: string): Buffer {
  const pack: Buffer[] = [];
  for (let pos = 0; pos + 4 <= response.length; ) {
    const length = Number.parseInt(response.toString('latin1', pos, pos + 4), 16);
    if (!Number.isInteger(length) || (length > 2 && length < 4) || pos + Math.max(length, 4) > response.length) {
      throw new SourceFetchError(`malformed upload-pack response from ${where}`);
    }
    if (length <= 2) {
      pos += 4;
      continue;
    }
    const payload = response.subarray(pos + 4, pos + length);
    pos += length;
    if (payload[0] === 1) pack.push(payload.subarray(1));
    else if (payload[0] === 3) throw new SourceFetchError(`${where} aborted the fetch: ${payload.subarray(1).toString('utf8')}`);
    else if (payload.toString('latin1', 0, 4) === 'ERR ') {
      throw new SourceUnavailableError(`source unavailable: ${where} refused the fetch: ${payload.subarray(4).toString('utf8')}`);
    }
  }
  return Buffer.concat(pack);
}

/** Walks every object header of `pack`; throws `SourceRefusedError` when a cap would be broken. */
function checkPack(pack: Buffer, limits: SourceLimits): number {
  if (pack.length === 0) return 0;
  if (pack.length < 12 || pack.toString('latin1', 0, 4) !== 'PACK') throw malformed('no pack header');
  const count = pack.readUInt32BE(8);
  if (count > limits.maxFiles * 2 + 16) throw refused(`${count} objects, more than twice the ${limits.maxFiles}-entry limit`);
  let pos = 12;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const header = readObjectHeader(pack, pos);
    if (header.size > limits.maxFileBytes) throw refused(`an object of ${header.size} bytes, larger than ${limits.maxFileBytes}`);
    const { buffer, engine } = inflateCapped(pack.subarray(header.dataStart), header.size);
    pos = header.dataStart + (engine as unknown as { bytesWritten: number }).bytesWritten;
    const size = header.type === OFS_DELTA || header.type === REF_DELTA ? deltaResultSize(buffer) : header.size;
    if (size > limits.maxFileBytes) throw refused(`an object of ${size} bytes, larger than ${limits.maxFileBytes}`);
    total += size;
    if (total > limits.maxBytes) throw refused(`more than ${limits.maxBytes} bytes once unpacked`);
  }
  return count;
}

function readObjectHeader(pack: Buffer, start: number): { type: number; size: number; dataStart: number } {
  let pos = start;
  let byte = byteAt(pack, pos++);
  const type = (byte >> 4) & 7;
  let size = byte & 15;
  for (let shift = 4; byte & 0x80; shift += 7) {
    if (shift > 46) throw malformed('object size too long');
    byte = byteAt(pack, pos++);
    size += (byte & 0x7f) * 2 ** shift;
  }
  if (type === OFS_DELTA) while (byteAt(pack, pos++) & 0x80);
  if (type === REF_DELTA) pos += 20;
  if (type === 0 || type === 5) throw malformed(`object type ${type}`);
  return { type, size, dataStart: pos };
}

function inflateCapped(data: Buffer, size: number): { buffer: Buffer; engine: unknown } {
  let result: { buffer: Buffer; engine: unknown };
  try {
    result = inflateSync(data, { info: true, maxOutputLength: Math.max(1, size) }) as unknown as typeof result;
  } catch {
    throw refused('an object that inflates beyond its declared size, or is corrupt');
  }
  if (result.buffer.length !== size) throw malformed('an object whose size differs from its header');
  return result;
}

/** The result size a delta declares (its second varint). */
function deltaResultSize(delta: Buffer): number {
  let pos = 0;
  for (let n = 0; n < 2; n++) {
    let value = 0;
    let byte: number;
    let shift = 0;
    do {
      byte = byteAt(delta, pos++);
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80 && shift < 53);
    if (n === 1) return value;
  }
  return 0;
}

function byteAt(buffer: Buffer, pos: number): number {
  if (pos >= buffer.length) throw malformed('truncated');
  return buffer[pos];
}

function refused(what: string): SourceRefusedError {
  return new SourceRefusedError(`refused pack: ${what} (limit reached)`);
}

function malformed(what: string): SourceRefusedError {
  return new SourceRefusedError(`refused pack: malformed (${what})`);
}
