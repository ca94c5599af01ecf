// The cluster's pending syncs against AWS's DynamoDB Local: a request either is seen by the writer's claim,
// or makes its release fail, or finds the lock free (both orders of a request and a release), the
// newest request of an app replaces an older one, a crashed writer's requests wait for the next, and a
// parent that gives its place back to its queued children stays in the queue for the next round.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LockLostError, type PendingSync, type Store } from '../../shared/store/index.ts';
import { useDynamo } from './helpers.ts';

const fixture = useDynamo();
const LEASE = 60_000;
const WRITER = (n: number) => `arn:aws:states:eu-west-1:123456789012:execution:gitwave-writer:dev-${n}`;

function request(app: string, rev: string, at = '2025-06-01T12:00:00.000Z'): PendingSync {
  return { app, syncId: `${app}-${rev}`, planKey: `plans/${app}/${app}-${rev}.json`, revision: rev.padEnd(40, '0'), requestedAt: at };
}

async function becomeWriter(store: Store, n: number) {
  const acquired = await store.acquire('dev', WRITER(n), { syncId: `dev-${n}`, leaseMs: LEASE });
  assert.ok(acquired.acquired, 'the writer acquired the cluster lock');
  return { cluster: 'dev', owner: WRITER(n), fence: acquired.fence };
}

describe('pending syncs and the request sequence', () => {
  it('a request made while the writer holds the lock makes its release fail, and the next claim sees it', async () => {
    const { store } = await fixture();
    const guard = await becomeWriter(store, 1);
    const first = await store.claimPending(guard, { leaseMs: LEASE });
    assert.deepEqual(first.requests, []);
    const requested = await store.requestSync('dev', request('web', 'a1'));
    assert.equal(requested.writerLive, true, 'the request sees the live writer, so it starts none');
    assert.equal(requested.owner, WRITER(1));
    assert.equal(await store.releaseIfIdle(guard, first.seq), false, 'the release saw the sequence move');
    assert.equal((await store.read('dev'))?.owner, WRITER(1), 'the writer still holds the cluster');
    const second = await store.claimPending(guard, { leaseMs: LEASE });
    assert.deepEqual(second.requests.map((r) => r.syncId), ['web-a1']);
    assert.equal(second.seq, requested.seq);
  });

  it('a request made after the release finds no writer, so its maker starts one', async () => {
    const { store } = await fixture();
    const guard = await becomeWriter(store, 1);
    const claim = await store.claimPending(guard, { leaseMs: LEASE });
    assert.equal(await store.releaseIfIdle(guard, claim.seq), true);
    const requested = await store.requestSync('dev', request('web', 'a1'));
    assert.equal(requested.writerLive, false);
    assert.equal(requested.seq, claim.seq + 1);
    const next = await becomeWriter(store, 2);
    assert.equal(next.fence, guard.fence + 1);
    assert.deepEqual((await store.claimPending(next, { leaseMs: LEASE })).requests.map((r) => r.syncId), ['web-a1']);
  });

  it('keeps one pending sync per app, the newest, and removes it only for the sync that ran', async () => {
    const { store } = await fixture();
    await store.requestSync('dev', request('web', 'a1', '2025-06-01T12:00:01.000Z'));
    await store.requestSync('dev', request('api', 'b1', '2025-06-01T12:00:02.000Z'));
    await store.requestSync('dev', request('web', 'a2', '2025-06-01T12:00:03.000Z'));
    const guard = await becomeWriter(store, 1);
    const claim = await store.claimPending(guard, { leaseMs: LEASE });
    assert.deepEqual(claim.requests.map((r) => r.syncId), ['api-b1', 'web-a2'], 'oldest request first, web at its newest');
    await store.requestSync('dev', request('web', 'a3', '2025-06-01T12:00:04.000Z'));
    assert.equal(await store.finishPending('dev', [{ app: 'web', syncId: 'web-a2' }, { app: 'api', syncId: 'api-b1' }]), 1);
    assert.equal((await store.getPending('dev', 'web'))?.syncId, 'web-a3', 'the newer request stays pending');
    assert.equal(await store.getPending('dev', 'api'), undefined);
  });

  it('a crashed writer loses no request: its lease lapses and the next writer claims what was pending', async () => {
    const { store, clock } = await fixture();
    const crashed = await becomeWriter(store, 1);
    await store.requestSync('dev', request('web', 'a1'));
    await store.claimPending(crashed, { leaseMs: LEASE });
    clock.t += LEASE + 1;
    const requested = await store.requestSync('dev', request('api', 'b1'));
    assert.equal(requested.writerLive, false, 'an expired lease is no live writer');
    const next = await becomeWriter(store, 2);
    assert.deepEqual((await store.claimPending(next, { leaseMs: LEASE })).requests.map((r) => r.app).sort(), ['api', 'web']);
    await assert.rejects(store.claimPending(crashed, { leaseMs: LEASE }), LockLostError, 'the old writer claims nothing any more');
    assert.equal(await store.releaseIfIdle(crashed, 0), false);
  });

  it('a sync that gives its place back to its children stays for the next round, as its next run, parked until claimed', async () => {
    const { store } = await fixture();
    await store.requestSync('dev', request('root', 'a1', '2025-06-01T12:00:01.000Z'));
    const guard = await becomeWriter(store, 1);
    const first = await store.claimPending(guard, { leaseMs: LEASE });
    assert.deepEqual(first.requests.map((r) => [r.syncId, r.resumes]), [['root-a1', 0]]);
    await store.requestSync('dev', request('child', 'c1', '2025-06-01T12:00:02.000Z'));
    assert.equal(await store.parkPending('dev', 'root', 'root-a1'), 1, 'the first park counts run 1');
    assert.equal((await store.getPending('dev', 'root'))?.parked, true, 'not running until a claim takes it');
    assert.equal(await store.finishPending('dev', [{ app: 'root', syncId: 'root-a1', resumes: 0 }]), 0, 'the ended run 0 does not remove run 1');
    const second = await store.claimPending(guard, { leaseMs: LEASE });
    assert.deepEqual(second.requests.map((r) => [r.syncId, r.resumes]), [['root-a1', 1], ['child-c1', 0]], 'the parent again, beside its child');
    assert.equal((await store.getPending('dev', 'root'))?.parked, undefined, 'claimed: running again');
    assert.equal(await store.finishPending('dev', [{ app: 'root', syncId: 'root-a1', resumes: 1 }, { app: 'child', syncId: 'child-c1', resumes: 0 }]), 2);
    assert.equal(await store.pendingCount('dev'), 0);
  });

  it('a sync a newer request replaced cannot park itself', async () => {
    const { store } = await fixture();
    await store.requestSync('dev', request('root', 'a1'));
    await store.requestSync('dev', request('root', 'a2'));
    assert.equal(await store.parkPending('dev', 'root', 'root-a1'), undefined);
    const pending = await store.getPending('dev', 'root');
    assert.equal(pending?.syncId, 'root-a2');
    assert.equal(pending?.parked, undefined, 'the newer request is untouched');
  });

  it('keeps clusters apart', async () => {
    const { store } = await fixture();
    await store.requestSync('prod', request('web', 'a1'));
    const guard = await becomeWriter(store, 1);
    assert.deepEqual((await store.claimPending(guard, { leaseMs: LEASE })).requests, []);
  });
});
