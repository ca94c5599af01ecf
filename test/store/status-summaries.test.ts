// Many statuses in a few BatchGetItem reads (the dashboard's list): only the list's fields, every
// chunk of 100 read, absent statuses absent, and keys DynamoDB leaves unprocessed asked again; the
// drift sweep's whole statuses, each as getStatus reads it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { storeContext, type StoreContext } from '../../shared/store/context.ts';
import type { OperationRecord } from '../../shared/store/ports.ts';
import { BATCH_GET_LIMIT, getStatusSummaries } from '../../shared/store/status-summaries.ts';
import { useDynamo } from './helpers.ts';

const fixture = useDynamo();
const noPause = async () => undefined;

const operation = (app: string): OperationRecord => ({
  syncId: `${app}-1`, app, phase: 'Succeeded', message: 'synced', revision: 'a'.repeat(40),
  source: { repoURL: 'https://github.com/acme/x.git', path: app, targetRevision: 'main' }, dryRun: false, prune: false, selective: false,
  fromGit: true, initiatedBy: { automated: true }, startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:01:00Z', result: { tasks: ['big'] },
});

/** A context whose BatchGet answers leave the larger half of the first `times` answers unprocessed, as DynamoDB may. */
function withUnprocessed(ctx: StoreContext, times: number): { ctx: StoreContext; calls: () => number } {
  let calls = 0;
  const send = (async (command: unknown) => {
    const answer = await ctx.doc.send(command as BatchGetCommand);
    if (!(command instanceof BatchGetCommand) || calls++ >= times) return answer;
    const items = answer.Responses![ctx.table];
    const kept = items.slice(0, Math.floor(items.length / 2));
    const left = items.slice(kept.length).map((item) => ({ pk: item.pk, sk: 'STATUS' }));
    const request = command.input.RequestItems![ctx.table];
    return { ...answer, Responses: { [ctx.table]: kept }, UnprocessedKeys: left.length ? { [ctx.table]: { ...request, Keys: left } } : {} };
  }) as StoreContext['doc']['send'];
  return { ctx: { ...ctx, doc: { send } as StoreContext['doc'] }, calls: () => calls };
}

describe('status summaries', () => {
  it('reads 250 statuses in chunks of 100, with only the list fields, and leaves absent ones out', async () => {
    const { store, client, tableName } = await fixture();
    const names = Array.from({ length: 250 }, (_, i) => `app-${String(i).padStart(3, '0')}`);
    for (const [i, name] of names.entries()) {
      await store.writeObservedStatus(name, {
        sync: { status: i % 2 ? 'OutOfSync' : 'Synced', revision: 'a'.repeat(40) }, health: { status: 'Healthy' },
        resources: [{ kind: 'Deployment', name }], ...(i === 7 ? { operationState: operation(name) } : {}),
      }, undefined);
    }
    const found = await getStatusSummaries(storeContext({ tableName, client }), [...names, 'never-compared']);
    assert.ok(names.length > 2 * BATCH_GET_LIMIT);
    assert.equal(found.size, 250);
    assert.equal(found.has('never-compared'), false);
    assert.deepEqual(found.get('app-001'), { sync: { status: 'OutOfSync', revision: 'a'.repeat(40) }, health: { status: 'Healthy' } });
    assert.deepEqual(found.get('app-007')?.operationState, {
      syncId: 'app-007-1', phase: 'Succeeded', message: 'synced', startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:01:00Z',
    });
    assert.deepEqual(await store.getStatusSummaries(['app-000']), new Map([['app-000', { sync: { status: 'Synced', revision: 'a'.repeat(40) }, health: { status: 'Healthy' } }]]));
  });

  it('reads whole statuses for the drift sweep, each exactly as getStatus answers, comparedSeq included', async () => {
    const { store } = await fixture();
    const names = Array.from({ length: 130 }, (_, i) => `sweep-${String(i).padStart(3, '0')}`);
    for (const [i, name] of names.entries()) {
      await store.writeObservedStatus(name, {
        sync: { status: 'Synced', revision: 'b'.repeat(40) }, health: { status: 'Healthy' }, desiredKey: `rendered/${name}.json`,
        resources: [{ kind: 'ConfigMap', name }], ...(i === 3 ? { operationState: operation(name) } : {}),
      }, undefined);
    }
    await store.writeObservedStatus('sweep-005', { health: { status: 'Degraded' } }, { comparedSeq: 1 });
    const found = await store.getStatuses([...names, 'never-compared']);
    assert.equal(found.size, 130);
    assert.equal(found.has('never-compared'), false);
    for (const name of names) assert.deepEqual(found.get(name), await store.getStatus(name), name);
    assert.equal(found.get('sweep-005')?.comparedSeq, 2);
    assert.equal(found.get('sweep-003')?.operationState?.syncId, 'sweep-003-1');
  });

  it('asks again for keys DynamoDB left unprocessed, and says so when they never come', async () => {
    const { store, client, tableName } = await fixture();
    const names = ['a', 'b', 'c', 'd', 'e'];
    for (const name of names) await store.writeObservedStatus(name, { health: { status: 'Healthy' } }, undefined);
    const real = storeContext({ tableName, client });
    const twice = withUnprocessed(real, 2);
    const found = await getStatusSummaries(twice.ctx, names, { pause: noPause });
    assert.deepEqual([...found.keys()].sort(), names);
    assert.equal(twice.calls(), 3);
    await assert.rejects(getStatusSummaries(withUnprocessed(real, 100).ctx, names, { pause: noPause }), /left 1 of 5 statuses unprocessed after 8 attempts/);
  });
});
