// Status, operation and history writes are conditional on the fence (SECURITY.md §4): a stale holder's
// writes fail as a whole. Comparisons are ordered without the lock: status-order.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LockLostError, type LockGuard, type OperationRecord } from '../../shared/store/index.ts';
import { T0, useDynamo } from './helpers.ts';

const fixture = useDynamo();
const LEASE = 60_000;

function record(syncId: string, overrides: Partial<OperationRecord> = {}): OperationRecord {
  return {
    syncId, app: 'web', phase: 'Succeeded', revision: 'a'.repeat(40),
    source: { repoURL: 'https://github.com/acme/web', targetRevision: 'main', path: 'app' },
    dryRun: false, prune: true, selective: false, fromGit: true, initiatedBy: { automated: true },
    startedAt: new Date(T0).toISOString(), finishedAt: new Date(T0 + 1000).toISOString(), ...overrides,
  };
}

async function holder(store: Awaited<ReturnType<typeof fixture>>['store'], owner: string): Promise<LockGuard> {
  const result = await store.acquire('dev', owner, { syncId: owner, leaseMs: LEASE });
  assert.ok(result.acquired);
  return { cluster: 'dev', owner, fence: result.fence };
}

describe('fenced status writes', () => {
  it('writes status while the guard holds the lock, merging top-level fields', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.writeStatus('web', { sync: { status: 'OutOfSync', revision: 'abc' } }, guard);
    await store.writeStatus('web', { health: { status: 'Progressing', message: 'rolling out' } }, guard);
    assert.deepEqual(await store.getStatus('web'), {
      sync: { status: 'OutOfSync', revision: 'abc' }, health: { status: 'Progressing', message: 'rolling out' },
    });
  });

  it('refuses the status write of a holder whose lease was taken over', async () => {
    const { store, clock } = await fixture();
    const stale = await holder(store, 'exec-1');
    await store.writeStatus('web', { sync: { status: 'Synced' } }, stale);
    clock.t += LEASE + 1;
    const fresh = await holder(store, 'exec-2');
    await assert.rejects(store.writeStatus('web', { sync: { status: 'OutOfSync' } }, stale), LockLostError);
    await store.writeStatus('web', { health: { status: 'Healthy' } }, fresh);
    assert.deepEqual(await store.getStatus('web'), { sync: { status: 'Synced' }, health: { status: 'Healthy' } });
  });

  it('refuses writes once the holder released the lock', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.release(guard);
    await assert.rejects(store.writeStatus('web', { sync: { status: 'Synced' } }, guard), LockLostError);
    assert.equal(await store.getStatus('web'), undefined);
  });
});

describe('operation records and history', () => {
  it('records every attempt, failed and aborted included, newest first', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.putOperation(record('s1', { phase: 'Running', startedAt: '2025-06-01T12:00:00.000Z' }), guard);
    await store.finishOperation(record('s1', { phase: 'Failed', message: 'one or more objects failed to apply', startedAt: '2025-06-01T12:00:00.000Z' }), guard, { revisionHistoryLimit: 10 });
    await store.putOperation(record('s2', { phase: 'Running', startedAt: '2025-06-01T12:05:00.000Z' }), guard);
    assert.equal(await store.markOperationAborted('web', 's2', 'execution aborted'), true);
    assert.equal(await store.markOperationAborted('web', 's1', 'execution aborted'), false); // finished: left alone
    const ops = await store.listOperations('web');
    assert.deepEqual(ops.map((op) => [op.syncId, op.phase, op.message]), [
      ['s2', 'Aborted', 'execution aborted'], ['s1', 'Failed', 'one or more objects failed to apply'],
    ]);
    assert.deepEqual(await store.listHistory('web'), []);
    assert.equal((await store.getOperation('web', 's1'))?.phase, 'Failed');
  });

  const eligibility: Array<[string, Partial<OperationRecord>, boolean]> = [
    ['a succeeded full sync', {}, true],
    ['a failed sync', { phase: 'Failed' }, false],
    ['an errored sync', { phase: 'Error' }, false],
    ['a terminated sync', { phase: 'Terminated' }, false],
    ['a dry run', { dryRun: true }, false],
    ['a selective sync (selfHeal)', { selective: true }, false],
    ['a one-off override, recorded as not from Git', { fromGit: false }, true],
  ];
  for (const [title, overrides, appended] of eligibility) {
    it(`${appended ? 'appends' : 'does not append'} history for ${title}`, async () => {
      const { store } = await fixture();
      const guard = await holder(store, 'exec-1');
      const id = await store.finishOperation(record('s1', overrides), guard, { revisionHistoryLimit: 10 });
      const history = await store.listHistory('web');
      assert.equal(history.length, appended ? 1 : 0);
      assert.equal(id, appended ? 0 : undefined);
      if (appended) assert.equal(history[0].fromGit, overrides.fromGit ?? true);
    });
  }

  it('numbers history from 0 and trims it to revisionHistoryLimit', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    const ids: Array<number | undefined> = [];
    for (let n = 0; n < 5; n++) {
      ids.push(await store.finishOperation(record(`s${n}`, { revision: String(n).repeat(40) }), guard, { revisionHistoryLimit: 3 }));
    }
    assert.deepEqual(ids, [0, 1, 2, 3, 4]);
    const history = await store.listHistory('web');
    assert.deepEqual(history.map((h) => [h.id, h.syncId, h.revision[0]]), [[2, 's2', '2'], [3, 's3', '3'], [4, 's4', '4']]);
    assert.deepEqual(Object.keys(history[0]).sort(), ['deployStartedAt', 'deployedAt', 'fromGit', 'id', 'initiatedBy', 'revision', 'source', 'syncId']);
    assert.equal((await store.listOperations('web')).length, 5);
  });

  it('keeps no history with revisionHistoryLimit 0, and trims what was there', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    await store.finishOperation(record('s1'), guard, { revisionHistoryLimit: 10 });
    assert.equal(await store.finishOperation(record('s2'), guard, { revisionHistoryLimit: 0 }), undefined);
    assert.deepEqual(await store.listHistory('web'), []);
  });

  it('writes the final status in the same transaction', async () => {
    const { store } = await fixture();
    const guard = await holder(store, 'exec-1');
    const final = record('s1');
    await store.finishOperation(final, guard, { revisionHistoryLimit: 10, status: { operationState: final, sync: { status: 'Synced', revision: final.revision } } });
    assert.equal((await store.getStatus('web'))?.operationState?.syncId, 's1');
  });

  it('refuses a stale holder: no operation record, no history entry, no status', async () => {
    const { store, clock } = await fixture();
    const stale = await holder(store, 'exec-1');
    clock.t += LEASE + 1;
    await holder(store, 'exec-2');
    await assert.rejects(store.finishOperation(record('s1'), stale, { revisionHistoryLimit: 10, status: { sync: { status: 'Synced' } } }), LockLostError);
    await assert.rejects(store.putOperation(record('s1', { phase: 'Running' }), stale), LockLostError);
    assert.deepEqual(await store.listHistory('web'), []);
    assert.deepEqual(await store.listOperations('web'), []);
    assert.equal(await store.getStatus('web'), undefined);
  });
});
