// The retry loop of a failed sync (SPEC-sync §6), driven task by task against the real servers: an
// automated sync that fails is retried under the same lock after the backoff (the record task says how
// long), succeeds once the cause is gone, and says how often it was retried; one that keeps failing
// ends Failed after the limit and its revision is then not retried by auto-sync; a manual sync is
// retried only when the Application configures a retry.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { driveSync } from './driver.ts';
import { CLUSTER, engineDeps, recordingExecutions, registerApp, useServers, writeRender, type Servers } from './harness.ts';
import { configMap } from './manifests.ts';

const servers = useServers();

/** A ConfigMap in a namespace nobody creates: every apply of it fails until the namespace exists. */
function stray(namespace: string): KubeObject {
  return { ...configMap('stray'), metadata: { name: 'stray', namespace } };
}

async function start(s: Servers, app: string, revision: string, objects: KubeObject[], requestId?: string) {
  const deps = { ...engineDeps(s), executions: recordingExecutions(), requests: s.requests };
  if (requestId) await s.requests.putRequest({ requestId, app, initiatedBy: { username: 'alice' }, createdAt: new Date().toISOString() });
  const renderKey = await writeRender(s, revision, objects);
  const planned = await runPlan(deps, { app, revision, renderKey, trigger: requestId ? 'manual' : 'webhook', ...(requestId ? { requestId } : {}) });
  assert.equal(planned.outcome, 'started');
  return { deps, renderKey, planned, input: deps.executions.started[0].input };
}

describe('a failed automated sync', () => {
  it('is retried after the backoff under the same lock, and ends Succeeded saying it was retried', async () => {
    const s = servers();
    await registerApp(s, 'again', 'again');
    const rev = 'a9a1000000000000000000000000000000000001';
    const { deps, planned, input } = await start(s, 'again', rev, [configMap('settings'), stray('again-extra')]);
    const during: Array<{ phase?: string; message?: string; held?: boolean; owner?: string; leaseLeft: number }> = [];
    const drive = await driveSync(deps, input, planned.executionArn!, {
      beforeRetry: async () => {
        const status = await s.store.getStatus('again');
        const lock = await s.store.read(CLUSTER);
        during.push({ phase: status?.operationState?.phase, message: status?.operationState?.message, held: lock?.held, owner: lock?.owner, leaseLeft: (lock?.leaseUntil ?? 0) - Date.now() });
        await s.kube.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'again-extra' } });
      },
    });

    assert.equal(drive.error, undefined);
    assert.deepEqual(drive.records.map((r) => r.retry && { attempt: r.retry.attempt, waitSeconds: r.retry.waitSeconds }), [{ attempt: 1, waitSeconds: 5 }, undefined]);
    assert.equal(during[0].phase, 'Running', 'the operation is still running while the retry waits');
    assert.match(during[0].message ?? '', /\. Retrying attempt #1 at \d{4}-\d\d-\d\dT[\d:.]+Z\.$/);
    assert.deepEqual({ held: during[0].held, owner: during[0].owner }, { held: true, owner: planned.executionArn });
    assert.ok(during[0].leaseLeft > 5_000, 'the lease covers the wait');
    const operation = await s.store.getOperation('again', input.syncId);
    assert.deepEqual({ phase: operation?.phase, retryCount: operation?.retryCount }, { phase: 'Succeeded', retryCount: 1 });
    assert.match(operation?.message ?? '', / \(retried 1 times\)\.$/);
    assert.deepEqual((await s.store.listHistory('again')).map((h) => h.revision), [rev]);
    assert.deepEqual((await s.store.getStatus('again'))?.sync, { status: 'Synced', revision: rev });
    assert.ok(await s.kube.get({ group: '', kind: 'ConfigMap', namespace: 'again-extra', name: 'stray' }));
    assert.equal((await s.store.read(CLUSTER))?.held, false);
  });

  it('ends Failed after the limit, waiting longer each time, and its revision is then not retried', async () => {
    const s = servers();
    await registerApp(s, 'stuck', 'stuck', true, { retryLimit: 2 });
    const rev = 'a9a1000000000000000000000000000000000002';
    const { deps, renderKey, planned, input } = await start(s, 'stuck', rev, [configMap('settings'), stray('stuck-nowhere')]);
    const drive = await driveSync(deps, input, planned.executionArn!);

    assert.equal(drive.error?.Error, 'gitwave.WaveFailed');
    assert.deepEqual(drive.records.map((r) => r.retry?.waitSeconds), [1, 2, undefined], 'backoff 1 s × 2^n');
    const operation = await s.store.getOperation('stuck', input.syncId);
    assert.deepEqual({ phase: operation?.phase, retryCount: operation?.retryCount }, { phase: 'Failed', retryCount: 2 });
    assert.match(operation?.message ?? '', /stray.* \(retried 2 times\)\.$/);
    assert.doesNotMatch(operation?.message ?? '', /Retrying attempt/);
    const again = await runPlan(deps, { app: 'stuck', revision: rev, renderKey, trigger: 'drift' });
    assert.equal(again.outcome, 'planned');
    assert.equal(deps.executions.started.length, 1);
    const condition = (await s.store.getStatus('stuck'))?.conditions?.find((c) => c.type === 'SyncError');
    assert.match(condition?.message ?? '', new RegExp(`^Failed last sync attempt to ${rev}: .*\\(retried 2 times\\)\\.$`));
  });
});

describe('a failed manual sync', () => {
  it('is retried only when the Application configures a retry', async () => {
    const s = servers();
    await registerApp(s, 'once', 'once', false);
    await registerApp(s, 'twice', 'twice', false, { retryLimit: 1 });
    const rev = 'a9a1000000000000000000000000000000000003';
    const attempts: Record<string, number> = {};
    for (const app of ['once', 'twice']) {
      const { deps, planned, input } = await start(s, app, rev, [stray(`${app}-nowhere`)], `${app}-req`);
      const drive = await driveSync(deps, input, planned.executionArn!);
      attempts[app] = drive.records.length;
      assert.equal((await s.store.getOperation(app, input.syncId))?.phase, 'Failed', app);
    }
    assert.deepEqual(attempts, { once: 1, twice: 2 });
  });
});
