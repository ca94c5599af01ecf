// The GitHub adapter against the local stand-in of GitHub's REST API: where the token goes (only
// the Authorization header, only to the API origin), what GitHub's answers become, and that no
// error, however it is printed, holds the token (SECURITY.md §1: GHSA-mv6w-j4xc-qpfw).
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GitHubSource, SourceFetchError, SourceRefusedError, SourceUnavailableError } from '../../shared/source/index.ts';
import { startFaultServer, type FaultServer } from './support/fault-server.ts';
import { GITHUB_URL, TOKEN, startWorld, type World } from './support/world.ts';

/** Every way an error might be printed or logged. */
function printed(error: unknown): string {
  return [String(error), JSON.stringify(error), inspect(error, { depth: 10 }), (error as Error).stack].join('\n');
}

async function failure(work: Promise<unknown>): Promise<Error> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('GitHub adapter', () => {
  let world: World;
  let faults: FaultServer;
  before(async () => {
    world = await startWorld();
    faults = await startFaultServer();
  });
  after(async () => {
    await faults.stop();
    await world.stop();
  });
  afterEach(() => assert.deepEqual(world.leftovers(), []));

  it('sends the token only in the Authorization header, only to the API; codeload gets none', async () => {
    world.stub.requests.length = 0;
    const sha = await world.github().resolveRevision(GITHUB_URL, 'v1');
    const checkout = await world.github().checkout(GITHUB_URL, sha);
    await checkout.dispose();
    const api = world.stub.requests.filter((r) => r.server === 'api');
    const codeload = world.stub.requests.filter((r) => r.server === 'codeload');
    assert.ok(api.length >= 3 && api.every((r) => r.authorization));
    assert.deepEqual(codeload.map((r) => r.authorization), [false]);
    assert.ok(world.stub.requests.every((r) => !`${r.path}?${r.query}`.includes(TOKEN)));
  });

  it('reads a private repository as unavailable without a token, and denied with a wrong one', async () => {
    const anonymous = new GitHubSource({ apiBaseUrl: world.stub.apiUrl, hosts: ['github.com'], allowHttp: true, workRoot: world.workRoot });
    await assert.rejects(anonymous.resolveRevision(GITHUB_URL, 'main'), SourceUnavailableError);
    const wrong = 'ghp_WrongToken0123456789abcdefABCDEF';
    const github = world.github({}, wrong);
    for (const work of [() => github.resolveRevision(GITHUB_URL, 'main'), () => github.checkout(GITHUB_URL, world.repo.first)]) {
      const error = await failure(work());
      assert.ok(error instanceof SourceUnavailableError);
      assert.match(error.message, /denied \(HTTP 401\)/);
      assert.ok(!printed(error).includes(wrong));
    }
  });

  it('reports a failing token provider as a retryable fetch error', async () => {
    const github = new GitHubSource({ apiBaseUrl: world.stub.apiUrl, hosts: ['github.com'], allowHttp: true, workRoot: world.workRoot, token: () => Promise.reject(new Error('secrets manager throttled')) });
    const error = await failure(github.checkout(GITHUB_URL, world.repo.first));
    assert.ok(error instanceof SourceFetchError && error.retryable);
    assert.match(error.message, /failed to get the token for github\.com\/acme\/app: secrets manager throttled/);
  });

  it('keeps the token and the pre-signed codeload URL out of a failed download error', async () => {
    world.stub.setTarball('acme/app', world.repo.first, Buffer.from(`not a tarball ${TOKEN}`));
    const error = await failure(world.github().checkout(GITHUB_URL, world.repo.first));
    assert.ok(error instanceof SourceRefusedError);
    assert.ok(!printed(error).includes(TOKEN));
    assert.ok(!/token=[0-9a-f]/.test(printed(error)));
  });

  it('works against a GitHub Enterprise style base URL (/api/v3)', async () => {
    const ghe = new GitHubSource({ apiBaseUrl: `${world.stub.apiUrl}/api/v3/`, hosts: ['ghe.example.com'], allowHttp: true, token: async () => TOKEN, workRoot: world.workRoot });
    assert.equal(await ghe.resolveRevision('https://ghe.example.com/acme/app.git', 'refs/tags/dup'), world.repo.second);
    assert.equal(ghe.handles(GITHUB_URL), false);
  });

  it('accepts only https URLs of its hosts, in owner/repo form', () => {
    const github = new GitHubSource();
    assert.deepEqual(github.parse('https://github.com/acme/app.git/'), { owner: 'acme', repo: 'app' });
    for (const url of ['http://github.com/acme/app', 'https://github.com/acme', 'https://github.com/acme/app/tree/main', 'https://evil.example/acme/app', 'https://github.com/acme/..']) {
      assert.equal(github.handles(url), false, url);
    }
  });

  it('stops a download at the byte cap', async () => {
    const error = await failure(world.github({ maxDownloadBytes: 200 }).checkout(GITHUB_URL, world.repo.second));
    assert.ok(error instanceof SourceRefusedError);
    assert.match(error.message, /more than 200 bytes \(limit reached\)/);
  });

  it('gives up at the deadline when the API does not answer, as a retryable error', async () => {
    const slow = new GitHubSource({ apiBaseUrl: `${faults.url}/hang`, hosts: ['github.com'], allowHttp: true, limits: { timeoutMs: 300 }, workRoot: world.workRoot });
    for (const work of [() => slow.resolveRevision(GITHUB_URL, 'main'), () => slow.checkout(GITHUB_URL, world.repo.first)]) {
      const error = await failure(work());
      assert.ok(error instanceof SourceFetchError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /deadline of 300 ms exceeded/);
    }
  });

  it('treats server errors and rate limits as retryable, and an endless API answer as over the cap', async () => {
    const broken = new GitHubSource({ apiBaseUrl: `${faults.url}/status/503`, hosts: ['github.com'], allowHttp: true, workRoot: world.workRoot });
    const error = await failure(broken.resolveRevision(GITHUB_URL, 'main'));
    assert.ok(error instanceof SourceFetchError && error.retryable);
    assert.match(error.message, /HTTP 503/);
    const limited = new GitHubSource({ apiBaseUrl: `${faults.url}/status/429`, hosts: ['github.com'], allowHttp: true, workRoot: world.workRoot });
    assert.equal(((await failure(limited.resolveRevision(GITHUB_URL, 'main'))) as SourceFetchError).retryable, true);
    const endless = new GitHubSource({ apiBaseUrl: `${faults.url}/big`, hosts: ['github.com'], allowHttp: true, workRoot: world.workRoot });
    await assert.rejects(endless.resolveRevision(GITHUB_URL, world.repo.first), /more than 1048576 bytes \(limit reached\)/);
  });
});
