// Hostile tarballs served by the GitHub stand-in as the tarball of a real commit (SECURITY.md §1,
// §7 rows 16, 17, 21): every one is refused with a SourceRefusedError, nothing is written outside
// the checkout, no message holds the bytes of what was refused, and the work root is empty after.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_LIMITS, SourceRefusedError, type SourceLimits } from '../../shared/source/index.ts';
import { paxPath, tar, tgz, type TarEntry } from './support/tar-builder.ts';
import { GITHUB_URL, startWorld, type World } from './support/world.ts';

const TOP = 'acme-app-0000000/';
const SECRET = 'SECRET-BYTES-4f1c9a';

describe('checkout refuses hostile archives', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.stop());
  afterEach(() => assert.deepEqual(world.leftovers(), [], 'the work root is empty after every checkout'));

  async function refused(body: Buffer, pattern: RegExp, limits?: Partial<SourceLimits>): Promise<SourceRefusedError> {
    world.stub.setTarball('acme/app', world.repo.second, body);
    let caught: unknown;
    await world.github(limits).checkout(GITHUB_URL, world.repo.second).then(
      (c) => c.dispose(),
      (error) => (caught = error),
    );
    assert.ok(caught instanceof SourceRefusedError, `expected a refusal, got ${String(caught)}`);
    assert.match(caught.message, pattern);
    assert.ok(!caught.message.includes(SECRET), 'no refused bytes in the message');
    return caught;
  }

  const entries = (...rest: TarEntry[]): Buffer => tgz([{ name: TOP, type: '5' }, ...rest]);

  it('stops a gzip bomb at the byte cap', async () => {
    const bomb = gzipSync(tar([{ name: TOP, type: '5' }, { name: `${TOP}zeros`, body: Buffer.alloc(8 * 1024 * 1024) }]));
    assert.ok(bomb.length < 100 * 1024, 'the bomb is small on the wire');
    await refused(bomb, /more than 1048576 bytes.*limit reached/, { maxBytes: 1024 * 1024 });
  });

  it('stops counting decompressed bytes at the cap even when no entry declares them', async () => {
    const padded = Buffer.concat([tar([{ name: TOP, type: '5' }, { name: `${TOP}a.yaml`, body: 'a: 1\n' }]), Buffer.alloc(4 * 1024 * 1024)]);
    await refused(gzipSync(padded), /refused archive: more than 1048576 bytes unpacked/, { maxBytes: 1024 * 1024 });
  });

  it('§7 row 16: refuses a 200 MB file from its header, before reading its bytes', async () => {
    const body = tgz([{ name: TOP, type: '5' }, { name: `${TOP}huge.yaml`, body: SECRET, size: 200 * 1024 * 1024 }]);
    await refused(body, /huge\.yaml.*larger than 33554432 bytes/);
  });

  it('§7 row 17: refuses ../ entries and writes nothing outside', async () => {
    await refused(entries({ name: `${TOP}../../escape.txt`, body: SECRET }), /"\.\." component/);
    await refused(entries(paxPath(`${TOP}a/../../../escape.txt`), { name: `${TOP}placeholder`, body: SECRET }), /"\.\." component/);
    assert.equal(existsSync(join(world.workRoot, 'escape.txt')), false);
    assert.equal(existsSync(join(world.workRoot, '..', 'escape.txt')), false);
  });

  it('§7 row 17: refuses absolute entries', async () => {
    await refused(tgz([{ name: '/tmp/gitwave-escape.txt', body: SECRET }]), /absolute path/);
    assert.equal(existsSync('/tmp/gitwave-escape.txt'), false);
  });

  it('refuses a symlink to /proc/self/environ, and the message holds none of the environment', async () => {
    const error = await refused(entries({ name: `${TOP}env.yaml`, type: '2', linkname: '/proc/self/environ' }), /env\.yaml.*absolute target/);
    assert.ok(!JSON.stringify(error).includes(process.env.PATH!));
    assert.ok(!error.message.includes('PATH='));
  });

  it('refuses a symlink to another checkout (../other) and to /var/task', async () => {
    await refused(entries({ name: `${TOP}other`, type: '2', linkname: '../other-app' }), /points outside the checkout/);
    await refused(entries({ name: `${TOP}a/`, type: '5' }, { name: `${TOP}a/t`, type: '2', linkname: '../../x' }), /points outside/);
    await refused(entries({ name: `${TOP}task`, type: '2', linkname: '/var/task' }), /absolute target/);
  });

  it('refuses symlink chains that end outside, loop, or point back at their own directory', async () => {
    const chain = entries(
      { name: `${TOP}a`, type: '2', linkname: 'b' },
      { name: `${TOP}b`, type: '2', linkname: 'c' },
      { name: `${TOP}c`, type: '2', linkname: '../secret' },
    );
    await refused(chain, /"c" -> "\.\.\/secret": points outside/);
    const via = entries({ name: `${TOP}d/`, type: '5' }, { name: `${TOP}up`, type: '2', linkname: 'd' }, { name: `${TOP}x`, type: '2', linkname: 'up/../..' });
    await refused(via, /points outside/);
    await refused(entries({ name: `${TOP}x`, type: '2', linkname: 'y' }, { name: `${TOP}y`, type: '2', linkname: 'x' }), /more than 40 links/);
    await refused(entries({ name: `${TOP}d/`, type: '5' }, { name: `${TOP}d/self`, type: '2', linkname: '..' }), /contains it/);
  });

  it('never writes through a symlink, even one pointing inside', async () => {
    const body = entries({ name: `${TOP}real/`, type: '5' }, { name: `${TOP}l`, type: '2', linkname: 'real' }, { name: `${TOP}l/x.yaml`, body: SECRET });
    await refused(body, /"l\/x\.yaml": "l" is not a directory/);
  });

  it('refuses hard links, devices and FIFOs', async () => {
    await refused(entries({ name: `${TOP}h`, type: '1', linkname: `${TOP}a` }), /type Link is not allowed/);
    await refused(entries({ name: `${TOP}c`, type: '3' }), /type CharacterDevice is not allowed/);
    await refused(entries({ name: `${TOP}f`, type: '6' }), /type FIFO is not allowed/);
  });

  it('§7 row 16: refuses more entries than the file cap (50k files)', async () => {
    assert.ok(DEFAULT_LIMITS.maxFiles < 50_000);
    const files = Array.from({ length: 50_000 }, (_, i): TarEntry => ({ name: `${TOP}f/${i}.yaml` }));
    await refused(tgz([{ name: TOP, type: '5' }, ...files]), /more than 500 entries/, { maxFiles: 500 });
  });

  it('refuses deep nesting', async () => {
    const deep = `${TOP}${'d/'.repeat(DEFAULT_LIMITS.maxDepth)}x.yaml`;
    await refused(entries(paxPath(deep), { name: `${TOP}placeholder`, body: SECRET }), /nested deeper than 32 levels/);
  });

  it('refuses duplicates, entries outside the top directory and corrupt headers', async () => {
    await refused(entries({ name: `${TOP}a`, body: '1' }, { name: `${TOP}a`, body: SECRET }), /"a": appears twice/);
    await refused(entries({ name: 'elsewhere/a', body: SECRET }), /outside the archive's top directory/);
    const corrupt = tar([{ name: TOP, type: '5' }, { name: `${TOP}a`, body: SECRET }]);
    corrupt[512 + 150] ^= 0xff; // break the checksum field of the second header
    await refused(gzipSync(corrupt), /refused archive/);
  });

  it('refuses an archive cut off between two entries (it would look complete)', async () => {
    const whole = tar([{ name: TOP, type: '5' }, { name: `${TOP}a.yaml`, body: 'a: 1\n' }, { name: `${TOP}b.yaml`, body: SECRET }]);
    await refused(gzipSync(whole.subarray(0, 512 * 3 + 100)), /truncated/);
  });

  it('§7 row 17: unpacks mode-000 files and directories readable, and removes them afterwards', async () => {
    const body = entries(
      { name: `${TOP}locked/`, type: '5', mode: 0 },
      { name: `${TOP}locked/secret.yaml`, body: 'a: 1\n', mode: 0 },
      { name: `${TOP}run.sh`, body: '#!/bin/sh\n', mode: 0o4777 },
    );
    world.stub.setTarball('acme/app', world.repo.second, body);
    const checkout = await world.github().checkout(GITHUB_URL, world.repo.second);
    const { statSync, readFileSync } = await import('node:fs');
    assert.equal(statSync(join(checkout.dir, 'locked')).mode & 0o7777, 0o755);
    assert.equal(statSync(join(checkout.dir, 'locked/secret.yaml')).mode & 0o7777, 0o644);
    assert.equal(statSync(join(checkout.dir, 'run.sh')).mode & 0o7777, 0o755, 'no setuid, no world-write');
    assert.equal(readFileSync(join(checkout.dir, 'locked/secret.yaml'), 'utf8'), 'a: 1\n');
    await checkout.dispose();
    assert.equal(existsSync(checkout.dir), false);
  });
});
