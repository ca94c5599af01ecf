// Checkout of one commit through each adapter gives exactly that commit's tree (paths, executable
// bits, bytes, symlink targets) as Git itself lists it, never the uncommitted work tree, in a fresh
// directory per call that is gone after dispose (GHSA-6jqw-jwf5-rp8h: warm Lambda reuse).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RevisionError, SourceUnavailableError, withCheckout } from '../../shared/source/index.ts';
import { listCheckout, listCommit } from './support/listing.ts';
import { startWorld, type World } from './support/world.ts';

describe('checkout', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.stop());
  afterEach(() => assert.deepEqual(world.leftovers(), []));

  it('unpacks exactly the commit, the same through every adapter', async () => {
    for (const sha of [world.repo.first, world.repo.second]) {
      const expected = listCommit(world.repo, sha);
      assert.ok(expected.some((line) => line.startsWith('link app/link.yaml -> base/deploy.yaml')));
      assert.ok(expected.some((line) => line.startsWith('file scripts/run.sh x ')));
      for (const { name, reader, url } of world.readers()) {
        const checkout = await reader.checkout(url, sha);
        assert.equal(checkout.sha, sha);
        assert.deepEqual(listCheckout(checkout.dir), expected, `${name} at ${sha}`);
        await checkout.dispose();
      }
    }
  });

  it('never contains uncommitted files of a local work tree', async () => {
    assert.ok(existsSync(join(world.repo.dir, 'dirty.txt')));
    await withCheckout(world.local(), world.repo.dir, world.repo.second, async ({ dir }) => {
      assert.equal(existsSync(join(dir, 'dirty.txt')), false);
      assert.match(readFileSync(join(dir, 'app/base/deploy.yaml'), 'utf8'), /version: 2/);
    });
  });

  it('gives every checkout its own directory, removed on dispose (warm reuse)', async () => {
    for (const { name, reader, url } of world.readers()) {
      const a = await reader.checkout(url, world.repo.second);
      const b = await reader.checkout(url, world.repo.second);
      assert.notEqual(a.dir, b.dir, name);
      assert.ok(!b.dir.startsWith(a.dir) && !a.dir.startsWith(b.dir));
      await a.dispose();
      assert.equal(existsSync(a.dir), false, `${name}: first checkout gone`);
      assert.ok(existsSync(join(b.dir, 'app/base/deploy.yaml')), `${name}: second untouched`);
      await b.dispose();
      await b.dispose(); // twice is fine
    }
  });

  it('withCheckout removes the checkout when the work throws', async () => {
    let seen = '';
    await assert.rejects(
      withCheckout(world.gitHttp(), `${world.git.url}/repo.git`, world.repo.first, async ({ dir }) => {
        seen = dir;
        throw new Error('render failed');
      }),
      /render failed/,
    );
    assert.ok(seen);
    assert.equal(existsSync(seen), false);
  });

  it('needs a full SHA, and answers "source unavailable" for one the repository lacks', async () => {
    for (const { name, reader, url } of world.readers()) {
      await assert.rejects(reader.checkout(url, 'main'), RevisionError, name);
      await assert.rejects(reader.checkout(url, world.repo.first.slice(0, 12)), RevisionError, name);
      await assert.rejects(reader.checkout(url, 'deadbeef'.repeat(5)), SourceUnavailableError, name);
    }
  });
});
