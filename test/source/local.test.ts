// The local adapter: Git repositories through the real git binary (file:// URLs too), and plain
// directories whose revision is a content digest, copied under the same rules as a tarball.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalSource, RevisionError, SourceRefusedError, SourceUnavailableError, withCheckout } from '../../shared/source/index.ts';
import { listCheckout } from './support/listing.ts';
import { startWorld, type World } from './support/world.ts';

describe('local adapter', () => {
  let world: World;
  let plain: string;
  before(async () => {
    world = await startWorld();
    plain = mkdtempSync(join(tmpdir(), 'gitwave-test-plain-'));
    mkdirSync(join(plain, 'base'));
    writeFileSync(join(plain, 'base', 'deploy.yaml'), 'kind: Deployment\n');
    writeFileSync(join(plain, 'kustomization.yaml'), 'resources: [base/deploy.yaml]\n');
    symlinkSync('base/deploy.yaml', join(plain, 'alias.yaml'));
  });
  after(async () => {
    rmSync(plain, { recursive: true, force: true });
    await world.stop();
  });
  afterEach(() => assert.deepEqual(world.leftovers(), []));

  it('reads a Git repository given as a file:// URL, and a bare repository', async () => {
    const url = pathToFileURL(world.repo.dir).href;
    assert.equal(await world.local().resolveRevision(url, 'v1'), world.repo.first);
    assert.equal(await world.local().resolveRevision(world.repo.bare, 'refs/tags/dup'), world.repo.second);
    await withCheckout(world.local(), world.repo.bare, world.repo.first, async ({ dir }) => {
      assert.ok(listCheckout(dir).includes('link app/link.yaml -> base/deploy.yaml'));
    });
  });

  it('resolves a plain directory to a stable content digest and copies it as it is', async () => {
    const local = world.local();
    const digest = await local.resolveRevision(plain, 'HEAD');
    assert.match(digest, /^[0-9a-f]{64}$/);
    assert.equal(await local.resolveRevision(plain, ''), digest);
    await withCheckout(local, plain, digest, async ({ dir, sha }) => {
      assert.equal(sha, digest);
      assert.deepEqual(listCheckout(dir), listCheckout(plain));
    });
  });

  it('refuses a stale digest once the directory changed, and a revision other than HEAD', async () => {
    const local = world.local();
    const before = await local.resolveRevision(plain, 'HEAD');
    writeFileSync(join(plain, 'base', 'deploy.yaml'), 'kind: Deployment\nchanged: true\n');
    const after = await local.resolveRevision(plain, 'HEAD');
    assert.notEqual(after, before);
    await assert.rejects(local.checkout(plain, before), (error: Error) => error instanceof SourceUnavailableError && /changed since/.test(error.message));
    await assert.rejects(local.resolveRevision(plain, 'main'), RevisionError);
  });

  it('treats a subdirectory of a repository as a plain directory, never as the parent repository', async () => {
    const digest = await world.local().resolveRevision(join(world.repo.dir, 'app'), 'HEAD');
    assert.match(digest, /^[0-9a-f]{64}$/);
  });

  it('refuses a plain directory holding a symlink that leaves it, or a FIFO', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'gitwave-test-plain-bad-'));
    try {
      symlinkSync('/etc/passwd', join(bad, 'passwd.yaml'));
      const local = world.local();
      const digest = await local.resolveRevision(bad, 'HEAD');
      await assert.rejects(local.checkout(bad, digest), (error: Error) => {
        assert.ok(error instanceof SourceRefusedError);
        assert.match(error.message, /passwd\.yaml.*absolute target/);
        assert.doesNotMatch(error.message, /root:/);
        return true;
      });
      rmSync(join(bad, 'passwd.yaml'));
      execFileSync('mkfifo', [join(bad, 'pipe')]);
      await assert.rejects(local.resolveRevision(bad, 'HEAD'), /not a file, directory or symlink/);
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });

  it('refuses a file over the cap before reading it, and paths outside the allowed roots', async () => {
    await assert.rejects(world.local({ maxFileBytes: 10 }).resolveRevision(plain, 'HEAD'), /larger than 10 bytes/);
    const confined = new LocalSource({ allowedRoots: [world.repo.dir], workRoot: world.workRoot });
    assert.equal(await confined.resolveRevision(world.repo.dir, 'main'), world.repo.second);
    await assert.rejects(confined.resolveRevision(plain, 'HEAD'), /outside the allowed roots/);
  });

  it('answers "source unavailable" for a path that is not a directory', async () => {
    await assert.rejects(world.local().resolveRevision('/nonexistent/gitwave', 'HEAD'), SourceUnavailableError);
    await assert.rejects(world.local().resolveRevision(join(plain, 'kustomization.yaml'), 'HEAD'), SourceUnavailableError);
    await assert.rejects(world.local().resolveRevision('relative/path', 'HEAD'), SourceRefusedError);
  });
});
