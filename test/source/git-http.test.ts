// The generic Git adapter (isomorphic-git) against a real Git smart-HTTP server (`git http-backend`):
// one commit at depth 1, a commit gone after a force-push, credentials only in a header, and the
// caps that stop a pack bomb before isomorphic-git inflates it.
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { GitHttpSource, SourceFetchError, SourceRefusedError, SourceUnavailableError } from '../../shared/source/index.ts';
import { startGitHttpServer, type RunningGitHttpServer } from '../helpers/git-http-server.ts';
import { listCheckout } from './support/listing.ts';
import { startFaultServer, type FaultServer } from './support/fault-server.ts';

const ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 'T', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 'T', GIT_COMMITTER_EMAIL: 't@e' };
const PASSWORD = 'glpat-Secret0123456789abcdef';

describe('git smart-HTTP adapter', () => {
  let root: string;
  let work: string;
  let server: RunningGitHttpServer;
  let faults: FaultServer;
  const commits: string[] = [];
  const git = (...args: string[]) => execFileSync('git', ['-C', join(root, 'src'), ...args], { env: ENV, encoding: 'utf8' }).trim();
  const url = () => `${server.url}/app.git`;
  const source = (limits = {}) => new GitHttpSource({ allowHttp: true, workRoot: work, limits });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'gitwave-test-githttp-'));
    work = mkdtempSync(join(tmpdir(), 'gitwave-test-work-'));
    execFileSync('git', ['init', '-q', '-b', 'main', join(root, 'src')], { env: ENV });
    for (const n of [1, 2, 3]) {
      writeFileSync(join(root, 'src', 'config.yaml'), `generation: ${n}\n`);
      if (n === 3) writeFileSync(join(root, 'src', 'zeros.bin'), Buffer.alloc(3 * 1024 * 1024));
      git('add', '-A');
      git('commit', '-q', '-m', `commit ${n}`);
      commits.push(git('rev-parse', 'HEAD'));
    }
    execFileSync('git', ['clone', '-q', '--bare', join(root, 'src'), join(root, 'app.git')], { env: ENV });
    server = await startGitHttpServer(root);
    faults = await startFaultServer();
  });
  after(async () => {
    await Promise.all([server.stop(), faults.stop()]);
    rmSync(root, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });
  afterEach(() => assert.deepEqual(execFileSync('ls', ['-A', work], { encoding: 'utf8' }), ''));

  it('fetches one commit alone: want <sha>, deepen 1, no tags; an older commit too', async () => {
    server.requests.length = 0;
    const checkout = await source().checkout(url(), commits[0]);
    const digest = createHash('sha256').update('generation: 1\n').digest('hex').slice(0, 16);
    assert.deepEqual(listCheckout(checkout.dir), [`file config.yaml - ${digest}`]);
    await checkout.dispose();
    const posts = server.requests.filter((r) => r.method === 'POST');
    assert.equal(posts.length, 1);
    const body = posts[0].body.toString('latin1');
    assert.match(body, new RegExp(`want ${commits[0]}`));
    assert.match(body, /deepen 1/);
    assert.doesNotMatch(body, /include-tag/);
  });

  it('answers "source unavailable" for a commit gone after a force-push', async () => {
    const bare = (...args: string[]) => execFileSync('git', ['-C', join(root, 'app.git'), ...args], { env: ENV });
    bare('branch', '-f', 'side', commits[1]);
    assert.equal(await source().resolveRevision(url(), 'side'), commits[1]);
    // force-push: main back to the first commit, side deleted; commits 2 and 3 stay in the object store, unreachable
    bare('update-ref', '-d', 'refs/heads/side');
    bare('update-ref', 'refs/heads/main', commits[0]);
    try {
      await assert.rejects(source().resolveRevision(url(), 'side'), SourceUnavailableError);
      await assert.rejects(source().checkout(url(), commits[1]), (error: Error) => {
        assert.ok(error instanceof SourceUnavailableError);
        assert.match(error.message, /not our ref/);
        return true;
      });
    } finally {
      bare('update-ref', 'refs/heads/main', commits[2]);
    }
  });

  it('stops a pack bomb before isomorphic-git inflates it', async () => {
    await assert.rejects(source({ maxFileBytes: 1024 * 1024 }).checkout(url(), commits[2]), (error: Error) => {
      assert.ok(error instanceof SourceRefusedError);
      assert.match(error.message, /refused pack: an object of 3145728 bytes, larger than 1048576/);
      return true;
    });
    await assert.rejects(source({ maxBytes: 1024 * 1024 }).checkout(url(), commits[2]), /refused pack: more than 1048576 bytes/);
    await assert.rejects(source({ maxFiles: 1 }).checkout(url(), commits[2]), /more than 1 entries/);
  });

  it('stops at the download cap', async () => {
    await assert.rejects(source({ maxDownloadBytes: 300 }).checkout(url(), commits[0]), /more than 300 bytes \(limit reached\)/);
  });

  it('sends credentials only as a Basic header to the repository origin, never in an error', async () => {
    server.requests.length = 0;
    const credentials = async () => ({ username: 'x-access-token', password: PASSWORD });
    const withCreds = new GitHttpSource({ allowHttp: true, workRoot: work, credentials });
    assert.equal(await withCreds.resolveRevision(url(), 'HEAD'), commits[2]);
    const expected = `Basic ${Buffer.from(`x-access-token:${PASSWORD}`).toString('base64')}`;
    assert.ok(server.requests.length > 0 && server.requests.every((r) => r.authorization === expected && !r.query.includes(PASSWORD)));
    const error = await withCreds.resolveRevision(`${server.url}/missing.git`, 'HEAD').catch((e: unknown) => e);
    assert.ok(error instanceof SourceUnavailableError);
    assert.ok(![String(error), JSON.stringify(error), inspect(error)].join().includes(PASSWORD));
  });

  it('refuses URLs with credentials in them, or not https, without a request', async () => {
    const count = server.requests.length;
    const inUrl = `http://x-access-token:${PASSWORD}@127.0.0.1:1/app.git`;
    const error = await source().resolveRevision(inUrl, 'HEAD').catch((e: unknown) => e);
    assert.ok(error instanceof SourceRefusedError);
    assert.ok(!inspect(error).includes(PASSWORD));
    await assert.rejects(new GitHttpSource().resolveRevision(url(), 'HEAD'), /https only/);
    assert.equal(server.requests.length, count);
  });

  it('gives up at the deadline when the host does not answer', async () => {
    const slow = new GitHttpSource({ allowHttp: true, workRoot: work, limits: { timeoutMs: 300 } });
    for (const call of [() => slow.resolveRevision(`${faults.url}/hang/app.git`, 'HEAD'), () => slow.checkout(`${faults.url}/hang/app.git`, commits[0])]) {
      await assert.rejects(call(), (error: Error) => error instanceof SourceFetchError && /deadline of 300 ms/.test(error.message));
    }
  });
});
