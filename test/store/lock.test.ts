// The cluster lock of SECURITY.md §4 against AWS's DynamoDB Local: one winner among contenders, a fence
// that only grows, a crashed holder overtaken after its lease, and a stale holder whose writes fail.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LockLostError, type LockGuard } from '../../shared/store/index.ts';
import { useDynamo } from './helpers.ts';

const fixture = useDynamo();
const LEASE = 60_000;
const ARN = (n: number) => `arn:aws:states:eu-west-1:123456789012:execution:gitwave-sync:exec-${n}`;

describe('cluster lock', () => {
  it('gives the first acquirer fence 1 and shows it held', async () => {
    const { store, clock } = await fixture();
    const result = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.deepEqual(result, { acquired: true, fence: 1, leaseUntil: clock.t + LEASE });
    assert.deepEqual(await store.read('dev'), { owner: ARN(1), fence: 1, leaseUntil: clock.t + LEASE, syncId: 's1', held: true });
  });

  it('lets exactly one of two concurrent contenders win, and names the winner to the loser', async () => {
    const { store } = await fixture();
    const results = await Promise.all([1, 2].map((n) => store.acquire('dev', ARN(n), { syncId: `s${n}`, leaseMs: LEASE })));
    const winners = results.filter((r) => r.acquired);
    assert.equal(winners.length, 1);
    const loser = results.find((r) => !r.acquired);
    assert.ok(loser && !loser.acquired);
    const winnerOwner = (await store.read('dev'))!.owner;
    assert.equal(loser.holder?.owner, winnerOwner);
    assert.equal(loser.holder?.fence, 1);
  });

  it('lets exactly one of ten concurrent contenders win', async () => {
    const { store } = await fixture();
    const results = await Promise.all(Array.from({ length: 10 }, (_, n) => store.acquire('dev', ARN(n), { syncId: `s${n}`, leaseMs: LEASE })));
    assert.equal(results.filter((r) => r.acquired).length, 1);
  });

  it('keeps clusters independent', async () => {
    const { store } = await fixture();
    assert.equal((await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE })).acquired, true);
    assert.equal((await store.acquire('prod', ARN(2), { syncId: 's2', leaseMs: LEASE })).acquired, true);
  });

  it('lets a retried task re-acquire its own lock, with a new fence', async () => {
    const { store } = await fixture();
    await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    const again = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.deepEqual(again.acquired && again.fence, 2);
  });

  it('overtakes a crashed holder once its lease has lapsed, with fence + 1', async () => {
    const { store, clock } = await fixture();
    const first = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    clock.t += LEASE - 1;
    assert.equal((await store.acquire('dev', ARN(2), { syncId: 's2', leaseMs: LEASE })).acquired, false);
    clock.t += 2;
    const second = await store.acquire('dev', ARN(2), { syncId: 's2', leaseMs: LEASE });
    assert.ok(first.acquired && second.acquired);
    assert.equal(second.fence, first.fence + 1);
  });

  it('fails the stale holder: renew throws LockLostError and release changes nothing', async () => {
    const { store, clock } = await fixture();
    const first = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.ok(first.acquired);
    clock.t += LEASE + 1;
    await store.acquire('dev', ARN(2), { syncId: 's2', leaseMs: LEASE });
    const stale: LockGuard = { cluster: 'dev', owner: ARN(1), fence: first.fence };
    await assert.rejects(store.renew(stale, { leaseMs: LEASE }), LockLostError);
    assert.equal(await store.release(stale), false);
    assert.equal(await store.releaseAbandoned('dev', ARN(1)), false);
    assert.equal((await store.read('dev'))!.owner, ARN(2));
  });

  it('refuses a renew with the right owner but an old fence', async () => {
    const { store } = await fixture();
    await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    const second = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.ok(second.acquired);
    await assert.rejects(store.renew({ cluster: 'dev', owner: ARN(1), fence: second.fence - 1 }, { leaseMs: LEASE }), LockLostError);
  });

  it('extends the lease on renew, so a contender keeps waiting', async () => {
    const { store, clock } = await fixture();
    const first = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.ok(first.acquired);
    clock.t += LEASE / 2;
    const until = await store.renew({ cluster: 'dev', owner: ARN(1), fence: first.fence }, { leaseMs: LEASE });
    assert.equal(until, clock.t + LEASE);
    clock.t += LEASE / 2 + 1; // past the first lease, within the renewed one
    assert.equal((await store.acquire('dev', ARN(2), { syncId: 's2', leaseMs: LEASE })).acquired, false);
  });

  it('releases without deleting: the fence survives, and the next acquire gets fence + 1', async () => {
    const { store } = await fixture();
    const first = await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.ok(first.acquired);
    assert.equal(await store.release({ cluster: 'dev', owner: ARN(1), fence: first.fence }), true);
    const state = await store.read('dev');
    assert.deepEqual(state && { held: state.held, fence: state.fence, owner: state.owner }, { held: false, fence: 1, owner: '' });
    const next = await store.acquire('dev', ARN(2), { syncId: 's2', leaseMs: LEASE });
    assert.deepEqual(next.acquired && next.fence, 2);
  });

  it('lets the janitor release an abandoned lock by owner only', async () => {
    const { store } = await fixture();
    await store.acquire('dev', ARN(1), { syncId: 's1', leaseMs: LEASE });
    assert.equal(await store.releaseAbandoned('dev', ARN(9)), false);
    assert.equal(await store.releaseAbandoned('dev', ARN(1)), true);
    const next = await store.acquire('dev', ARN(2), { syncId: 's2', leaseMs: LEASE });
    assert.deepEqual(next.acquired && next.fence, 2);
  });

  it('reads an unknown cluster as never locked', async () => {
    const { store } = await fixture();
    assert.equal(await store.read('nowhere'), undefined);
  });
});
