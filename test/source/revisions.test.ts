// targetRevision → full SHA, the same answer from all three adapters, checked against what the
// fixture repository's own `git rev-parse` says (SECURITY.md §7 rows 12 and 14).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RevisionError, SourceUnavailableError } from '../../shared/source/index.ts';
import { startWorld, type World } from './support/world.ts';

describe('resolveRevision', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.stop());

  it('names the same commit through every adapter, for every spelling', async () => {
    const { repo } = world;
    const cases: [string, string][] = [
      ['HEAD', repo.second],
      ['', repo.second],
      ['main', repo.second],
      ['refs/heads/main', repo.second],
      ['feature/x', repo.second],
      ['v1', repo.first], // annotated tag, peeled to its commit
      ['refs/tags/v1', repo.first],
      ['light', repo.first],
      [repo.first, repo.first],
      [repo.first.toUpperCase(), repo.first],
      [repo.first.slice(0, 10), repo.first],
      ['refs/heads/dup', repo.first],
      ['refs/tags/dup', repo.second],
    ];
    assert.equal(repo.git('rev-parse', 'v1^{commit}'), repo.first);
    assert.notEqual(repo.v1TagObject, repo.first);
    for (const { name, reader, url } of world.readers()) {
      for (const [revision, expected] of cases) {
        assert.equal(await reader.resolveRevision(url, revision), expected, `${name}: ${JSON.stringify(revision)}`);
      }
    }
  });

  it('refuses a bare name that is both a branch and a tag, saying how to choose', async () => {
    for (const { name, reader, url } of world.readers()) {
      await assert.rejects(reader.resolveRevision(url, 'dup'), (error: Error) => {
        assert.ok(error instanceof RevisionError, name);
        assert.match(error.message, /ambiguous.*refs\/heads\/dup or refs\/tags\/dup/);
        return true;
      });
    }
  });

  it('answers "source unavailable" for an unknown branch, tag or ref', async () => {
    for (const { name, reader, url } of world.readers()) {
      for (const revision of ['nope', 'refs/heads/nope', 'refs/tags/nope', 'abcdef12']) {
        await assert.rejects(reader.resolveRevision(url, revision), SourceUnavailableError, `${name}: ${revision}`);
      }
    }
  });

  it('answers "source unavailable" for a full SHA the repository does not have (GitHub, local)', async () => {
    const gone = 'deadbeef'.repeat(5);
    for (const { name, reader, url } of world.readers().filter((r) => r.name !== 'git-http')) {
      await assert.rejects(reader.resolveRevision(url, gone), /source unavailable/, name);
    }
  });

  it('refuses revisions that could be read as options or paths, before any request', async () => {
    const before = world.stub.requests.length + world.git.requests.length;
    for (const { reader, url } of world.readers()) {
      for (const revision of ['--upload-pack=touch /tmp/x', '-h', 'main..v1', 'HEAD~1', 'a b', 'refs/heads/../x', 'x.lock', '@{-1}']) {
        await assert.rejects(reader.resolveRevision(url, revision), RevisionError, revision);
      }
    }
    assert.equal(world.stub.requests.length + world.git.requests.length, before);
  });
});
