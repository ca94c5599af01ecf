// Renders of one commit share its checkout: one download for renders asking at once, the last released
// tree kept for the next render, older ones removed, failures never kept. Over the real GitHub stand-in.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { shareCheckouts, type SourceReader } from '../../shared/source/index.ts';
import { GITHUB_URL, startWorld, type World } from './support/world.ts';

/** The world's GitHub reader, counting the checkouts it really makes. */
function counted(world: World): { reader: SourceReader; downloads: string[] } {
  const inner = world.github();
  const downloads: string[] = [];
  return {
    downloads,
    reader: {
      resolveRevision: (url, target, options) => inner.resolveRevision(url, target, options),
      checkout: (url, sha, options) => { downloads.push(sha); return inner.checkout(url, sha, options); },
    },
  };
}

describe('shared checkouts', () => {
  let world: World;
  before(async () => { world = await startWorld(); });
  after(() => world.stop());

  it('renders asking at once for one commit wait for one download and read the same tree', async () => {
    const { reader, downloads } = counted(world);
    const shared = shareCheckouts(reader);
    const [a, b] = await Promise.all([shared.checkout(GITHUB_URL, world.repo.first), shared.checkout(GITHUB_URL, world.repo.first)]);
    assert.deepEqual(downloads, [world.repo.first]);
    assert.equal(a.dir, b.dir);
    assert.ok(readdirSync(a.dir).length > 0);
    await a.dispose();
    assert.ok(existsSync(b.dir), 'still in use by the second render');
    await b.dispose();
    await b.dispose(); // twice is safe
  });

  it('keeps the last released checkout for the next render and removes the older one', async () => {
    const { reader, downloads } = counted(world);
    const shared = shareCheckouts(reader);
    const first = await shared.checkout(GITHUB_URL, world.repo.first);
    await first.dispose();
    const again = await shared.checkout(GITHUB_URL, world.repo.first);
    assert.equal(again.dir, first.dir);
    await again.dispose();
    assert.deepEqual(downloads, [world.repo.first]);

    const second = await shared.checkout(GITHUB_URL, world.repo.second);
    assert.ok(existsSync(first.dir), 'an idle checkout stays while the new one is in use');
    await second.dispose();
    assert.equal(existsSync(first.dir), false, 'the older idle checkout is removed once a newer one is released');
    assert.ok(existsSync(second.dir));
    assert.deepEqual(downloads, [world.repo.first, world.repo.second]);
  });

  it('never keeps a failed checkout: the next render tries again', async () => {
    const { reader, downloads } = counted(world);
    const shared = shareCheckouts(reader);
    const missing = 'f'.repeat(40);
    await assert.rejects(shared.checkout(GITHUB_URL, missing));
    await assert.rejects(shared.checkout(GITHUB_URL, missing));
    assert.deepEqual(downloads, [missing, missing]);
  });
});
