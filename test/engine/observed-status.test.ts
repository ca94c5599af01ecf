// observeStatus: a comparison overtaken by another status write is made again from a fresh read, and
// given up (StatusContendedError) after OBSERVE_ATTEMPTS. Runs on DynamoDB Local; the overtaking write is the
// real store's, made from inside the comparison (as a sync recording its end while a plan step lists).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { observeStatus, OBSERVE_ATTEMPTS, StatusContendedError } from '../../shared/engine/observed-status.ts';
import type { AppStatus } from '../../shared/store/index.ts';
import { useDynamo } from '../store/helpers.ts';

const fixture = useDynamo();
const REV = 'c'.repeat(40);

describe('observeStatus', () => {
  it('compares again from a fresh read when a write overtook the comparison, and writes that one', async () => {
    const { store } = await fixture();
    const seen: Array<AppStatus | undefined> = [];
    const written = await observeStatus(store, 'web', async (previous) => {
      seen.push(previous);
      if (seen.length === 1) await store.writeObservedStatus('web', { sync: { status: 'Synced', revision: REV } }, undefined);
      return { status: { health: { status: seen.length === 1 ? 'Missing' : 'Healthy' } }, value: seen.length };
    });
    assert.equal(written, 2);
    assert.deepEqual(seen.map((s) => s?.sync?.revision), [undefined, REV], 'the second comparison started from the overtaking write');
    const status = await store.getStatus('web');
    assert.deepEqual({ sync: status?.sync, health: status?.health, seq: status?.comparedSeq }, { sync: { status: 'Synced', revision: REV }, health: { status: 'Healthy' }, seq: 2 });
  });

  it(`gives up with StatusContendedError after ${OBSERVE_ATTEMPTS} overtaken comparisons, writing none of them`, async () => {
    const { store } = await fixture();
    let attempts = 0;
    await assert.rejects(observeStatus(store, 'web', async (previous) => {
      attempts++;
      await store.writeObservedStatus('web', { reconciledAt: `overtaking ${attempts}` }, previous);
      return { status: { health: { status: 'Missing' } }, value: undefined };
    }), StatusContendedError);
    assert.equal(attempts, OBSERVE_ATTEMPTS);
    const status = await store.getStatus('web');
    assert.deepEqual({ health: status?.health, reconciledAt: status?.reconciledAt }, { health: undefined, reconciledAt: `overtaking ${OBSERVE_ATTEMPTS}` });
  });
});
