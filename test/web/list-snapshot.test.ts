// The list's rows kept briefly in the api process: fresh answered as is, stale answered while one
// background read replaces it, expired read again (concurrent requests share that read), failures
// not kept, and a write forgets it. Time is passed in; nothing sleeps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FRESH_MS, STALE_MS, forgetSnapshot, snapshot } from '../../shared/api/list-snapshot.ts';

/** A read whose answers the test releases one by one. */
function controlledReads() {
  const pending: Array<{ resolve: (v: string) => void; reject: (e: Error) => void }> = [];
  let count = 0;
  const read = () => { count++; return new Promise<string>((resolve, reject) => pending.push({ resolve, reject })); };
  return { read, count: () => count, answer: (v: string) => pending.shift()!.resolve(v), fail: () => pending.shift()!.reject(new Error('throttled')) };
}

/** A snapshot read at time 0 with value v1. */
async function primed(owner: object, reads: ReturnType<typeof controlledReads>): Promise<void> {
  const first = snapshot(owner, 0, reads.read);
  reads.answer('v1');
  assert.equal(await first, 'v1');
}

test('fresh rows are answered as they are; concurrent first requests share one read', async () => {
  const owner = {};
  const reads = controlledReads();
  const first = snapshot(owner, 0, reads.read);
  const second = snapshot(owner, 10, reads.read);
  reads.answer('v1');
  assert.deepEqual(await Promise.all([first, second]), ['v1', 'v1']);
  assert.equal(await snapshot(owner, FRESH_MS, reads.read), 'v1');
  assert.equal(reads.count(), 1);
});

test('stale rows are answered at once while one background read replaces them', async () => {
  const owner = {};
  const reads = controlledReads();
  await primed(owner, reads);
  assert.equal(await snapshot(owner, FRESH_MS + 1, reads.read), 'v1');
  assert.equal(await snapshot(owner, FRESH_MS + 2, reads.read), 'v1', 'a second stale request starts no second read');
  assert.equal(reads.count(), 2);
  reads.answer('v2');
  // The replacement lands when its read resolves: ask until it shows (no clock involved).
  let seen = 'v1';
  while (seen === 'v1') seen = await snapshot(owner, FRESH_MS + 3, reads.read);
  assert.equal(seen, 'v2');
  assert.equal(reads.count(), 2);
});

test('expired rows are read again before answering; a failed read is not kept; a write forgets', async () => {
  const owner = {};
  const reads = controlledReads();
  await primed(owner, reads);
  const expired = snapshot(owner, STALE_MS + 1, reads.read);
  reads.fail();
  await assert.rejects(expired, /throttled/);
  const retried = snapshot(owner, STALE_MS + 2, reads.read);
  reads.answer('v3');
  assert.equal(await retried, 'v3');
  forgetSnapshot(owner);
  const afterWrite = snapshot(owner, STALE_MS + 3, reads.read);
  reads.answer('v4');
  assert.equal(await afterWrite, 'v4');
  assert.equal(reads.count(), 4);
});
