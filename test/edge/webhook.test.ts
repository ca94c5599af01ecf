// The webhook λ as API Gateway invokes it, against DynamoDB Local, a fauxqs FIFO queue and the Secrets
// Manager stand-in, with real payloads from @octokit/webhooks-examples: the webhook rows of
// SECURITY.md §7 (1–4, 7, 8, 10–12) and the default-branch lookup for Applications on HEAD.
import './helpers/quiet.ts';
import { describe, it, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { signBody } from '../../shared/webhook/signature.ts';
import { parseApplication } from '../../shared/model/application.ts';
import { powertools } from '../../shared/lambda/middify.ts';
import { handler } from '../../functions/webhook.ts';
import { startEdgeAws, WEBHOOK_SECRET, type EdgeAws } from './helpers/aws.ts';
import { call } from './helpers/events.ts';
import { applicationYaml } from './helpers/apps.ts';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as Array<{ name: string; examples: Array<Record<string, any>> }>;
const pushes = examples.find((e) => e.name === 'push')!.examples;
const branchPush = pushes.find((p) => p.ref === 'refs/heads/master' && !p.deleted)!;
const tagPush = pushes.find((p) => p.ref === 'refs/tags/simple-tag' && !p.deleted)!;
const deletedPush = pushes.find((p) => p.deleted)!;
const ping = examples.find((e) => e.name === 'ping')!.examples[0];
const star = examples.find((e) => e.name === 'star')!.examples[0];
const REPO = 'https://github.com/Codertocat/Hello-World.git';

function appYaml(name: string, targetRevision: string, repoURL = REPO): string {
  return applicationYaml(name, repoURL, targetRevision);
}

let delivery = 0;
function post(payload: unknown, opts: { event?: string; id?: string; signature?: string | null; raw?: string; base64?: boolean; headers?: Record<string, string> } = {}) {
  const raw = opts.raw ?? JSON.stringify(payload, null, 2);
  const headers: Record<string, string> = { 'X-GitHub-Event': opts.event ?? 'push', 'X-GitHub-Delivery': opts.id ?? `delivery-${++delivery}`, 'content-type': 'application/json', ...opts.headers };
  if (opts.signature !== null) headers['X-Hub-Signature-256'] = opts.signature ?? signBody(WEBHOOK_SECRET, raw);
  return call(handler, { method: 'POST', path: '/webhooks/github', headers, body: raw, base64: opts.base64 });
}

describe('webhook λ', () => {
  let aws: EdgeAws;
  before(async () => {
    aws = await startEdgeAws();
    const apps = [
      appYaml('hello-master', 'master'), appYaml('hello-head', 'HEAD'), appYaml('hello-tag', 'refs/tags/simple-tag'),
      appYaml('hello-branch-simple-tag', 'simple-tag'), appYaml('other-repo', 'master', 'https://github.com/acme/other.git'),
    ];
    for (const text of apps) await aws.store.putApplication(parseApplication(text, 'app.yaml'));
  });
  after(() => aws?.stop());

  it('row 3: verifies a base64-encoded body over its raw bytes and queues one request per Application (group = app, dedupe = app + sha)', async () => {
    const answer = await post(branchPush, { base64: true, id: 'row-3' });
    assert.equal(answer.status, 202);
    assert.deepEqual(answer.body.applications, ['hello-head', 'hello-master']);
    const queued = await aws.drainQueue();
    assert.deepEqual(queued.map((q) => q.group).sort(), ['hello-head', 'hello-master']);
    for (const q of queued) {
      assert.deepEqual(q.body, { app: q.group, sha: branchPush.after, ref: 'refs/heads/master', deliveryId: 'row-3', trigger: 'webhook' });
      assert.equal(q.dedupe, createHash('sha256').update(`${q.group}\n${branchPush.after}`).digest('hex'));
    }
    assert.equal(await aws.store.isDuplicateDelivery('row-3'), true);
  });

  it('row 1: no X-Hub-Signature-256, or only the sha1 header, is a 401 with nothing queued, counted as a metric', async () => {
    const addMetric = mock.method(powertools().metrics, 'addMetric');
    try {
      const raw = JSON.stringify(branchPush);
      const sha1 = `sha1=${createHash('sha1').update(raw).digest('hex')}`;
      for (const answer of [await post(branchPush, { signature: null }), await post(branchPush, { raw, signature: null, headers: { 'X-Hub-Signature': sha1 } })]) {
        assert.equal(answer.status, 401);
      }
      assert.equal(addMetric.mock.calls.filter((c) => c.arguments[0] === 'WebhookSignatureRefused').length, 2);
    } finally {
      addMetric.mock.restore();
    }
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('row 2: a wrong secret, one flipped hex digit or a re-serialised body is a 401 and records no delivery', async () => {
    const raw = JSON.stringify(branchPush, null, 2);
    const good = signBody(WEBHOOK_SECRET, raw);
    const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    const attempts = [
      await post(branchPush, { raw, id: 'row-2a', signature: signBody('not-the-secret', raw) }),
      await post(branchPush, { raw, id: 'row-2b', signature: flipped }),
      await post(branchPush, { raw: JSON.stringify(branchPush), id: 'row-2c', signature: good }),
    ];
    assert.deepEqual(attempts.map((a) => a.status), [401, 401, 401]);
    for (const id of ['row-2a', 'row-2b', 'row-2c']) assert.equal(await aws.store.isDuplicateDelivery(id), false);
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('row 4: a body over the cap is a 413 before HMAC and parse, plain or base64', async () => {
    const big = `{"pad":"${'x'.repeat(1024 * 1024)}"}`;
    for (const base64 of [false, true]) {
      const answer = await post(undefined, { raw: big, base64, signature: 'sha256=' + '0'.repeat(64) });
      assert.equal(answer.status, 413);
      assert.match(answer.body.message, /larger than 1048576 bytes/);
    }
    const eleven = await post(undefined, { raw: 'x'.repeat(11 * 1024 * 1024), signature: null });
    assert.equal(eleven.status, 413);
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('rows 5 and 6: signed JSON nested 100k deep, or a push with repository/ref missing or mistyped, is a 400, never a crash', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.equal((await post(undefined, { raw: deep })).status, 400);
    const { repository: _r, ...noRepository } = branchPush;
    for (const payload of [noRepository, { ...branchPush, ref: 42 }, { ...branchPush, after: 'not-a-sha' }]) {
      assert.equal((await post(payload)).status, 400);
    }
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('row 7: ping is answered 200 and an unknown event 204, nothing queued', async () => {
    assert.equal((await post(ping, { event: 'ping' })).status, 200);
    assert.equal((await post(star, { event: 'star' })).status, 204);
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('row 8: the same X-GitHub-Delivery twice queues once; the second is answered as a duplicate', async () => {
    const first = await post(tagPush, { id: 'row-8' });
    const second = await post(tagPush, { id: 'row-8' });
    assert.equal(first.status, 202);
    assert.equal(second.status, 200);
    assert.equal(second.body.duplicate, true);
    assert.equal((await aws.drainQueue()).length, 1);
  });

  it('row 10: an unregistered repository, or a clone_url on another host, selects nothing (204)', async () => {
    const unregistered = { ...branchPush, repository: { ...branchPush.repository, clone_url: 'https://github.com/nobody/nothing.git', html_url: 'https://github.com/nobody/nothing', ssh_url: 'git@github.com:nobody/nothing.git' } };
    const attacker = { ...branchPush, repository: { ...branchPush.repository, clone_url: 'https://evil.example/Codertocat/Hello-World.git', html_url: 'https://evil.example/Codertocat/Hello-World', ssh_url: 'git@evil.example:Codertocat/Hello-World.git' } };
    assert.equal((await post(unregistered)).status, 204);
    assert.equal((await post(attacker)).status, 204);
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('row 11: a deleted branch (all-zero after) renders and prunes nothing', async () => {
    const answer = await post(deletedPush);
    assert.equal(answer.status, 200);
    assert.match(answer.body.message, /source ref deleted/);
    assert.deepEqual(await aws.drainQueue(), []);
  });

  it('row 12: a tag push selects only the Applications on that exact tag, not the branch of the same name', async () => {
    const answer = await post({ ...tagPush, after: 'a'.repeat(40) });
    assert.equal(answer.status, 202);
    assert.deepEqual((await aws.drainQueue()).map((q) => q.group), ['hello-tag']);
  });

  it('a push to a branch other than the default one does not concern Applications on HEAD', async () => {
    const feature = { ...branchPush, ref: 'refs/heads/feature' };
    assert.equal((await post(feature)).status, 204);
    assert.deepEqual(await aws.drainQueue(), []);
  });
});
