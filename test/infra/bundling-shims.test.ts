// The modules Lambda bundles get in place of a package (esbuild aliases in BUNDLING) behave as the
// package does for the calls gitwave's dependencies make: pako as isomorphic-git's packfile reader uses it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pako from 'pako';
import shim from '../../shared/lambda/bundling/pako.ts';

const objects = [Buffer.from('tree 1234\n'.repeat(300)), Buffer.from('blob'), Buffer.alloc(70_000, 7)];
const pack = Buffer.concat([...objects.map((o) => Buffer.from(pako.deflate(o))), Buffer.from('SHA1-trailer-20-byte')]);

/** isomorphic-git's loop: push chunks until `result`, then step back by `avail_in`; the offsets of each object. */
function walk(Inflate: typeof shim.Inflate | typeof pako.Inflate, chunkSize: number): Array<{ data: Buffer; end: number }> {
  const found: Array<{ data: Buffer; end: number }> = [];
  let offset = 0;
  for (let n = 0; n < objects.length; n++) {
    const inflator = new Inflate();
    let at = offset;
    while (!inflator.result) {
      const chunk = pack.subarray(at, Math.min(pack.length, at + chunkSize));
      if (chunk.length === 0) break;
      inflator.push(chunk, false);
      assert.equal(inflator.err, 0, String(inflator.msg));
      at += chunk.length;
    }
    offset = at - inflator.strm.avail_in;
    found.push({ data: Buffer.from(inflator.result as Uint8Array), end: offset });
  }
  return found;
}

describe('pako alias (node:zlib)', () => {
  it('finds each object of a pack and where its stream ends, as pako does, whole or in small chunks', () => {
    for (const chunkSize of [pack.length, 4096, 7]) {
      const mine = walk(shim.Inflate, chunkSize);
      assert.deepEqual(mine, walk(pako.Inflate, chunkSize), `chunks of ${chunkSize}`);
      assert.deepEqual(mine.map((o) => o.data), objects);
    }
  });

  it('reports corrupt data as an error, as pako does', () => {
    const inflator = new shim.Inflate();
    inflator.push(Buffer.from('not a zlib stream at all'), false);
    assert.notEqual(inflator.err, 0);
    assert.match(inflator.msg, /incorrect header check/);
    assert.equal(inflator.result, undefined);
    assert.throws(() => shim.inflate(Buffer.from('garbage')), /incorrect header check/);
  });

  it('deflates what pako inflates, and inflates what pako deflates', () => {
    const text = Buffer.from('blob 11\0hello world');
    assert.deepEqual(Buffer.from(pako.inflate(shim.deflate(text))), text);
    assert.deepEqual(Buffer.from(shim.inflate(pako.deflate(text))), text);
  });
});
