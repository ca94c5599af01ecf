/**
 * What Lambda bundles get for `pako` (an esbuild alias in infra/constructs/gitwave-function.ts):
 * the three calls isomorphic-git makes, on `node:zlib` instead of pako's 47 kB of JavaScript zlib.
 * isomorphic-git deflates loose objects with `deflate`, inflates them with `inflate`, and walks a
 * packfile with a streaming `Inflate`: it pushes the rest of the pack, waits for `result`, then steps
 * back by `strm.avail_in`, the bytes after the end of the object's zlib stream. zlib's own
 * `bytesWritten` (the input consumed up to the end of the stream) gives that figure. The local
 * runtime and the tests run the real pako; test/infra/bundling-shims.test.ts holds the two alike.
 */
import { deflateSync, inflateSync } from 'node:zlib';

export function deflate(data: Uint8Array): Uint8Array {
  return deflateSync(data);
}

export function inflate(data: Uint8Array): Uint8Array {
  return inflateSync(data);
}

/** pako's streaming inflater, as far as isomorphic-git's packfile reader uses it. */
export class Inflate {
  /** The inflated object once its stream has ended; undefined while more input is needed. */
  result: Uint8Array | undefined;
  /** pako's error code (0 when none) and message. */
  err = 0;
  msg = '';
  /** `avail_in`: bytes of the input pushed so far that come after the end of the stream. */
  readonly strm = { avail_in: 0 };
  private readonly input: Buffer[] = [];

  push(chunk: Uint8Array, _mode?: boolean | number): boolean {
    if (this.result || this.err) return false;
    this.input.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    const pushed = this.input.length === 1 ? this.input[0] : Buffer.concat(this.input);
    try {
      const { buffer, engine } = inflateSync(pushed, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
      this.result = buffer;
      this.strm.avail_in = pushed.byteLength - engine.bytesWritten;
    } catch (error) {
      const { code, errno, message } = error as NodeJS.ErrnoException;
      // The stream goes on in the next chunk: keep what came so far.
      if (code === 'Z_BUF_ERROR') return true;
      this.err = errno ?? -3;
      this.msg = message;
    }
    return this.err === 0;
  }
}

export default { deflate, inflate, Inflate };
