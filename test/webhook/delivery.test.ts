// The webhook's order of checks (SECURITY.md §3) and the webhook rows of §7, with real payloads
// from @octokit/webhooks-examples and in-memory ports that record what would reach the queue.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { handleDelivery, type SyncRequest, type WebhookPorts } from '../../shared/webhook/delivery.ts';
import { signBody, verifySignature } from '../../shared/webhook/signature.ts';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples/api.github.com/index.json') as Array<{
  name: string;
  examples: Array<Record<string, any>>;
}>;
const pushes = examples.find((e) => e.name === 'push')!.examples;
const branchPush = pushes.find((p) => p.ref === 'refs/heads/master' && !p.deleted)!;
const tagPush = pushes.find((p) => p.ref === 'refs/tags/simple-tag' && !p.deleted)!;
const deletedPush = pushes.find((p) => p.deleted)!;
const ping = examples.find((e) => e.name === 'ping')!.examples[0];

const SECRET = 'test-secret';
const REPO = 'github.com/codertocat/hello-world';

function fakePorts(apps: Record<string, string[]> = { [`${REPO}#refs/heads/master`]: ['hello-dev'] }) {
  const queued: SyncRequest[] = [];
  const recorded = new Set<string>();
  const ports: WebhookPorts = {
    webhookSecret: async () => SECRET,
    findApplications: async (keys, ref) => keys.flatMap((k) => (apps[`${k}#${ref}`] ?? []).map((name) => ({ name }))),
    isDuplicateDelivery: async (id) => recorded.has(id),
    enqueue: async (requests) => void queued.push(...requests),
    recordDelivery: async (id) => void recorded.add(id),
  };
  return { ports, queued, recorded };
}

function delivery(payload: unknown, opts: { event?: string; id?: string; signature?: string | null; raw?: string } = {}) {
  const body = Buffer.from(opts.raw ?? JSON.stringify(payload));
  const headers: Record<string, string | undefined> = {
    'X-GitHub-Event': opts.event ?? 'push',
    'X-GitHub-Delivery': opts.id ?? '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  };
  if (opts.signature !== null) headers['X-Hub-Signature-256'] = opts.signature ?? signBody(SECRET, body);
  return { headers, body };
}

describe('webhook signature', () => {
  it("matches GitHub's documented test vector", () => {
    const header = signBody("It's a Secret to Everybody", 'Hello, World!');
    assert.equal(header, 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
    assert.ok(verifySignature("It's a Secret to Everybody", Buffer.from('Hello, World!'), header));
  });

  it('rejects a flipped digit, a short header and the sha1 form', () => {
    const body = Buffer.from('Hello, World!');
    const good = signBody('s', body);
    const flipped = good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    for (const header of [flipped, good.slice(0, 20), 'sha1=' + good.slice(7), undefined]) {
      assert.equal(verifySignature('s', body, header), false, String(header));
    }
  });
});

describe('webhook delivery', () => {
  it('queues one request per tracking Application and records the delivery after the enqueue', async () => {
    const { ports, queued, recorded } = fakePorts();
    const res = await handleDelivery(delivery(branchPush), ports);
    assert.equal(res.statusCode, 202);
    assert.deepEqual(queued, [{ app: 'hello-dev', sha: branchPush.after, ref: 'refs/heads/master', deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958' }]);
    assert.ok(recorded.has('72d3162e-cc78-11e3-81ab-4c9367dc0958'));
  });

  it('answers 401 and queues nothing without a signature, or with only the sha1 header (row 1)', async () => {
    const { ports, queued, recorded } = fakePorts();
    const unsigned = delivery(branchPush, { signature: null });
    const sha1Only = delivery(branchPush, { signature: null });
    sha1Only.headers['X-Hub-Signature'] = 'sha1=0000000000000000000000000000000000000000';
    for (const d of [unsigned, sha1Only]) assert.equal((await handleDelivery(d, ports)).statusCode, 401);
    assert.equal(queued.length + recorded.size, 0);
  });

  it('answers 401 for a wrong secret or a re-serialised body (row 2)', async () => {
    const { ports, queued } = fakePorts();
    const wrongSecret = delivery(branchPush, { signature: signBody('other', JSON.stringify(branchPush)) });
    const reserialised = delivery(branchPush, { raw: JSON.stringify(branchPush, null, 2), signature: signBody(SECRET, JSON.stringify(branchPush)) });
    for (const d of [wrongSecret, reserialised]) assert.equal((await handleDelivery(d, ports)).statusCode, 401);
    assert.equal(queued.length, 0);
  });

  it('refuses an oversized body with 413 before checking the signature (row 4)', async () => {
    const { ports } = fakePorts();
    let secretRead = false;
    const res = await handleDelivery({ headers: {}, body: Buffer.alloc(2048) }, { ...ports, webhookSecret: async () => ((secretRead = true), SECRET) }, 1024);
    assert.equal(res.statusCode, 413);
    assert.equal(secretRead, false);
  });

  it('answers 400 to signed json nested 100k deep (row 5)', async () => {
    const { ports } = fakePorts();
    const raw = '['.repeat(100_000) + ']'.repeat(100_000);
    const res = await handleDelivery(delivery(null, { raw }), ports);
    assert.equal(res.statusCode, 400);
    assert.match(String(res.body.message), /nested deeper/);
  });

  it('answers 400 naming the field when repository or ref is missing or mistyped (row 6)', async () => {
    const { ports, queued } = fakePorts();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ ...branchPush, ref: undefined }, /field ref/],
      [{ ...branchPush, ref: 42 }, /field ref/],
      [{ ...branchPush, repository: undefined }, /field repository/],
      [{ ...branchPush, repository: { clone_url: 'not a url' } }, /repository/],
      [{ ...branchPush, after: 'xyz' }, /field after/],
    ];
    for (const [payload, message] of cases) {
      const res = await handleDelivery(delivery(payload), ports);
      assert.equal(res.statusCode, 400);
      assert.match(String(res.body.message), message);
    }
    assert.equal(queued.length, 0);
  });

  it('answers ping with 200 and an unknown event with 204, queueing nothing (row 7)', async () => {
    const { ports, queued } = fakePorts();
    assert.equal((await handleDelivery(delivery(ping, { event: 'ping' }), ports)).statusCode, 200);
    assert.equal((await handleDelivery(delivery({ action: 'created' }, { event: 'star' }), ports)).statusCode, 204);
    assert.equal(queued.length, 0);
  });

  it('answers a repeated delivery id as a duplicate and queues once (row 8)', async () => {
    const { ports, queued } = fakePorts();
    await handleDelivery(delivery(branchPush), ports);
    const again = await handleDelivery(delivery(branchPush), ports);
    assert.equal(again.body.duplicate, true);
    assert.equal(queued.length, 1);
  });

  it('processes a redelivery whose first attempt failed at the enqueue (row 9)', async () => {
    const { ports, queued } = fakePorts();
    const failing = { ...ports, enqueue: async () => { throw new Error('sqs down'); } };
    await assert.rejects(handleDelivery(delivery(branchPush), failing));
    assert.equal((await handleDelivery(delivery(branchPush), ports)).statusCode, 202);
    assert.equal(queued.length, 1);
  });

  it('ignores an unregistered repository even when clone_url points elsewhere (row 10)', async () => {
    const { ports, queued } = fakePorts();
    const attacker = { ...branchPush, repository: { clone_url: 'https://evil.example/x/y.git' } };
    assert.equal((await handleDelivery(delivery(attacker), ports)).statusCode, 204);
    assert.equal(queued.length, 0);
  });

  it('renders nothing for a deleted branch (row 11)', async () => {
    const { ports, queued } = fakePorts({ [`${REPO}#refs/tags/simple-tag`]: ['hello-tag'] });
    const res = await handleDelivery(delivery(deletedPush), ports);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.body.message), /source ref deleted/);
    assert.equal(queued.length, 0);
  });

  it('tells a tag and a branch of the same name apart (row 12)', async () => {
    const { ports, queued } = fakePorts({ [`${REPO}#refs/tags/simple-tag`]: ['by-tag'], [`${REPO}#refs/heads/simple-tag`]: ['by-branch'] });
    await handleDelivery(delivery(tagPush, { id: 'tag-delivery' }), ports);
    assert.deepEqual(queued.map((q) => q.app), ['by-tag']);
  });
});
