// End to end on the local runtime: the status means what Argo CD's means (SPEC-sync §5.1, issue 9 point 5).
// `sync.revision` is the revision last compared: a commit that changes nothing for an Application shows
// it Synced at the new commit and starts no sync; while a sync of a new commit runs, the status compares
// against that commit (OutOfSync at it), also for an Application planned while another holds the cluster.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, waitFor, APPS, type E2E } from './helpers/runtime.ts';
import { FILES, jobDuration, setImage } from './helpers/sample.ts';
import { executionsOf } from './helpers/writers.ts';
import { LOCAL_CLUSTER } from '../../local/register.ts';
import type { LambdaHandler } from '../../local/lambda-host.ts';

/** The Sync-phase check task of the sync whose id starts with `syncPrefix` waits for `open`. */
let gate: undefined | { syncPrefix: string; reached: () => void; open: Promise<void> };

const checkWave: LambdaHandler = async (event, context) => {
  const input = event as { syncId: string; phase: string };
  const held = gate;
  if (held && input.phase === 'Sync' && input.syncId.startsWith(held.syncPrefix)) {
    held.reached();
    await held.open;
  }
  const real = (await import('../../functions/check-wave.ts')) as { handler: LambdaHandler };
  return real.handler(event, context);
};

describe('status compares against the newest commit, on the local runtime', () => {
  let e2e: E2E;
  let deployed: string;
  before(async () => {
    e2e = await startE2E({ handlerOverrides: { 'check-wave': checkWave } });
    deployed = e2e.commit(jobDuration(0.2), 'quick jobs');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) assert.equal((await e2e.finished(app, deployed)).operationState?.phase, 'Succeeded');
  });
  after(async () => e2e?.stop());

  it('a commit that changes nothing for an Application shows it Synced at that commit, and starts no sync', async () => {
    const sha = e2e.commit({ 'docs/NOTES.md': 'Notes that no Application renders.\n' }, 'docs only');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) {
      await waitFor(`${app} compared at ${sha.slice(0, 7)}`, async () => (await e2e.store.getStatus(app))?.sync?.revision === sha);
    }
    await e2e.rt.settle();
    for (const app of APPS) {
      const status = await e2e.store.getStatus(app);
      assert.deepEqual(status?.sync, { status: 'Synced', revision: sha }, app);
      assert.equal(status?.operationState?.revision, deployed, `${app}: the last operation is still the one that deployed`);
      assert.deepEqual(executionsOf(e2e, app, sha), [], `${app}: no sync started`);
    }
    deployed = sha;
  });

  it('while a sync of a new commit runs, every Application shows OutOfSync at that commit until it is applied', async () => {
    const sha = e2e.commit({ [FILES.rest]: setImage('ghcr.io/gitwave-demo/orders-rest:5.0.0') }, 'REST 5.0.0');
    let reached!: () => void;
    const atGate = new Promise<void>((resolve) => { reached = resolve; });
    let open!: () => void;
    gate = { syncPrefix: `orders-dev-${sha.slice(0, 7)}-`, reached, open: new Promise<void>((resolve) => { open = resolve; }) };
    try {
      // Only orders-dev first (a manual sync): it holds the cluster, its Sync phase under way.
      assert.equal((await e2e.api('/api/applications/orders-dev/sync', { body: {} })).status, 202);
      await atGate;
      const dev = await e2e.store.getStatus('orders-dev');
      assert.deepEqual(dev?.sync, { status: 'OutOfSync', revision: sha }, 'the syncing app compares against the commit it syncs');
      assert.deepEqual({ phase: dev?.operationState?.phase, revision: dev?.operationState?.revision }, { phase: 'Running', revision: sha });

      // The push reaches orders-staging while orders-dev's sync holds the cluster lock.
      assert.equal((await e2e.push()).status, 202);
      // Its sync waits in the cluster's queue for the writer's next round (docs/engine.md).
      await waitFor('orders-staging requested at the new commit', async () => (await e2e.store.getPending(LOCAL_CLUSTER, 'orders-staging'))?.revision === sha);
      const lock = await e2e.store.read(LOCAL_CLUSTER);
      assert.equal(lock?.owner, JSON.parse(executionsOf(e2e, 'orders-dev', sha)[0].input).owner, 'the writer running orders-dev still holds the cluster');
      assert.equal(executionsOf(e2e, 'orders-dev', sha)[0].status, 'RUNNING');
      assert.deepEqual((await e2e.store.getStatus('orders-staging'))?.sync, { status: 'OutOfSync', revision: sha }, 'planned under a held lock');
      assert.equal((await e2e.store.getStatus('orders-dev'))?.sync?.revision, sha);
    } finally {
      open();
      gate = undefined;
    }
    for (const app of APPS) {
      const status = await e2e.finished(app, sha);
      assert.equal(status.operationState?.phase, 'Succeeded', `${app}: ${status.operationState?.message}`);
      assert.deepEqual(status.sync, { status: 'Synced', revision: sha }, app);
    }
  });
});
