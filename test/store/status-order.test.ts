// Comparisons and sync outcomes on the status are ordered by `comparedSeq`, not by the cluster lock
// (issue 9 point 5): a comparison is written only over the status it started from, whether or not a sync
// holds the cluster; a sync's outcome only while the status compares against the sync's revision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LockLostError, type LockGuard, type OperationRecord } from '../../shared/store/index.ts';
import { T0, useDynamo } from './helpers.ts';

const fixture = useDynamo();
const LEASE = 60_000;
const OLD = 'a'.repeat(40);
const NEW = 'b'.repeat(40);

async function holder(store: Awaited<ReturnType<typeof fixture>>['store'], owner: string): Promise<LockGuard> {
  const result = await store.acquire('dev', owner, { syncId: owner, leaseMs: LEASE });
  assert.ok(result.acquired);
  return { cluster: 'dev', owner, fence: result.fence };
}

function finished(revision: string): OperationRecord {
  return {
    syncId: `web-${revision.slice(0, 7)}`, app: 'web', phase: 'Succeeded', revision,
    source: { repoURL: 'https://github.com/acme/web', targetRevision: 'main', path: 'app' },
    dryRun: false, prune: false, selective: false, fromGit: true, initiatedBy: { automated: true },
    startedAt: new Date(T0).toISOString(), finishedAt: new Date(T0 + 1000).toISOString(),
  };
}

describe('comparison writes', () => {
  it('writes a comparison while a sync holds the cluster lock', async () => {
    const { store } = await fixture();
    await holder(store, 'exec-1');
    assert.equal(await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW } }, undefined), true);
    assert.deepEqual(await store.getStatus('web'), { sync: { status: 'OutOfSync', revision: NEW }, comparedSeq: 1 });
  });

  it('refuses a comparison overtaken by a sync outcome written after its read, and takes the next one', async () => {
    const { store } = await fixture();
    assert.equal(await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW } }, undefined), true);
    const basis = await store.getStatus('web'); // a plan step reads, then lists the cluster...
    const guard = await holder(store, 'exec-1');
    assert.equal(await store.writeOutcomeStatus('web', { sync: { status: 'Synced', revision: NEW }, health: { status: 'Healthy' } }, guard, NEW), true);
    // ...and its comparison, made before the sync applied, arrives late.
    assert.equal(await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW }, health: { status: 'Missing' } }, basis), false);
    const after = await store.getStatus('web');
    assert.deepEqual({ sync: after?.sync, health: after?.health }, { sync: { status: 'Synced', revision: NEW }, health: { status: 'Healthy' } });
    assert.equal(await store.writeObservedStatus('web', { health: { status: 'Progressing' } }, after), true, 'a comparison from a fresh read is written');
    assert.equal((await store.getStatus('web'))?.comparedSeq, 3);
  });

  it('refuses the older of two comparisons that read the same status', async () => {
    const { store } = await fixture();
    await store.writeObservedStatus('web', { sync: { status: 'Synced', revision: OLD } }, undefined);
    const basis = await store.getStatus('web');
    assert.equal(await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW } }, basis), true);
    assert.equal(await store.writeObservedStatus('web', { sync: { status: 'Synced', revision: OLD } }, basis), false);
    assert.deepEqual((await store.getStatus('web'))?.sync, { status: 'OutOfSync', revision: NEW });
  });

  it('a comparison that read no status is refused once one was written', async () => {
    const { store } = await fixture();
    assert.equal(await store.writeObservedStatus('web', { health: { status: 'Healthy' } }, undefined), true);
    assert.equal(await store.writeObservedStatus('web', { health: { status: 'Missing' } }, undefined), false);
    assert.deepEqual((await store.getStatus('web'))?.health, { status: 'Healthy' });
  });

  it('an operation-state write by a running sync does not overtake a comparison', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW } }, undefined);
    const basis = await store.getStatus('web');
    await store.writeStatus('web', { operationState: { ...finished(NEW), phase: 'Running' } }, guard);
    assert.equal(await store.writeObservedStatus('web', { health: { status: 'Progressing' } }, basis), true);
  });
});

describe('sync outcome writes', () => {
  it('keeps a comparison of a newer commit made while the sync of an older one ran', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: OLD } }, undefined);
    const basis = await store.getStatus('web');
    await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW }, health: { status: 'Healthy' } }, basis);
    assert.equal(await store.writeOutcomeStatus('web', { sync: { status: 'Synced', revision: OLD }, health: { status: 'Degraded' } }, guard, OLD), false);
    const status = await store.getStatus('web');
    assert.deepEqual({ sync: status?.sync, health: status?.health, seq: status?.comparedSeq }, { sync: { status: 'OutOfSync', revision: NEW }, health: { status: 'Healthy' }, seq: 2 });
  });

  it('is written on a status that compares against no revision yet', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    assert.equal(await store.writeOutcomeStatus('web', { sync: { status: 'Synced', revision: NEW } }, guard, NEW), true);
    assert.deepEqual(await store.getStatus('web'), { sync: { status: 'Synced', revision: NEW }, comparedSeq: 1 });
  });

  it('is refused with LockLostError for a holder that lost the lock, whatever the revision', async () => {
    const { store, clock } = await fixture();
    const stale = await holder(store, 'exec-1');
    clock.t += LEASE + 1;
    await holder(store, 'exec-2');
    await assert.rejects(store.writeOutcomeStatus('web', { sync: { status: 'Synced', revision: NEW } }, stale, NEW), LockLostError);
    assert.equal(await store.getStatus('web'), undefined);
  });

  it('leaves the operation record and history to finishOperation, which stays fenced only', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.writeObservedStatus('web', { sync: { status: 'OutOfSync', revision: NEW } }, undefined);
    assert.equal(await store.writeOutcomeStatus('web', { sync: { status: 'Synced', revision: OLD } }, guard, OLD), false);
    await store.finishOperation(finished(OLD), guard, { revisionHistoryLimit: 10, status: { operationState: finished(OLD) } });
    const status = await store.getStatus('web');
    assert.deepEqual({ sync: status?.sync, op: status?.operationState?.revision }, { sync: { status: 'OutOfSync', revision: NEW }, op: OLD });
    assert.deepEqual((await store.listHistory('web')).map((h) => h.revision), [OLD]);
  });
});
