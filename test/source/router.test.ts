// createSourceReader (and createRevisionResolver, for revisions only) send each repository URL to
// its adapter and refuse the rest.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRevisionResolver, createSourceReader, SourceRefusedError } from '../../shared/source/index.ts';
import { GITHUB_URL, TOKEN, startWorld, type World } from './support/world.ts';

describe('createSourceReader', () => {
  let world: World;
  before(async () => {
    world = await startWorld();
  });
  after(() => world.stop());
  afterEach(() => assert.deepEqual(world.leftovers(), []));

  const reader = (local: boolean) =>
    createSourceReader({
      workRoot: world.workRoot,
      github: { apiBaseUrl: world.stub.apiUrl, hosts: ['github.com'], allowHttp: true, token: async () => TOKEN },
      gitHttp: { allowHttp: true },
      local: local ? {} : false,
    });

  it('routes GitHub URLs to the tarball API, other URLs to git, local paths to the local reader', async () => {
    const source = reader(true);
    world.stub.requests.length = 0;
    world.git.requests.length = 0;
    assert.equal(await source.resolveRevision(GITHUB_URL, 'main'), world.repo.second);
    assert.ok(world.stub.requests.length > 0 && world.git.requests.length === 0);
    assert.equal(await source.resolveRevision(`${world.git.url}/repo.git`, 'main'), world.repo.second);
    assert.ok(world.git.requests.length > 0);
    assert.equal(await source.resolveRevision(world.repo.dir, 'main'), world.repo.second);
    const checkout = await source.checkout(GITHUB_URL, world.repo.first);
    await checkout.dispose();
  });

  it('refuses local paths unless enabled, and ssh or git:// URLs always', async () => {
    const source = reader(false);
    for (const url of [world.repo.dir, 'git@github.com:acme/app.git', 'ssh://git@example.com/app.git', 'git://example.com/app.git']) {
      await assert.rejects(source.resolveRevision(url, 'main'), SourceRefusedError, url);
    }
  });

  it('never echoes credentials from a refused URL', async () => {
    const error = await reader(false).resolveRevision('ftp://user:hunter2secret@example.com/app.git', 'main').catch((e: unknown) => e);
    assert.ok(error instanceof SourceRefusedError);
    assert.doesNotMatch(error.message, /hunter2secret/);
  });

  it('resolves revisions only through createRevisionResolver, the same hosts, and no local paths', async () => {
    const resolver = createRevisionResolver({
      github: { apiBaseUrl: world.stub.apiUrl, hosts: ['github.com'], allowHttp: true, token: async () => TOKEN },
      gitHttp: { allowHttp: true },
      ...({ local: {} } as object),
    });
    assert.equal(await resolver.resolveRevision(GITHUB_URL, 'main'), world.repo.second);
    assert.equal(await resolver.resolveRevision(`${world.git.url}/repo.git`, 'main'), world.repo.second);
    assert.equal('checkout' in resolver, false);
    await assert.rejects(resolver.resolveRevision(world.repo.dir, 'main'), SourceRefusedError);
  });
});
