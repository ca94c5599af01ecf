// End to end on the local runtime: drift made with the real kubectl is reported OutOfSync by the
// next sweep and restored by selfHeal; a manual sync with a one-off image override (through the
// `gitwave app sync --image` command) deploys without a commit and is marked so in history.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, waitFor, APPS, type E2E } from './helpers/runtime.ts';
import { jobDuration } from './helpers/sample.ts';
import { gitwave } from '../cli/helpers.ts';

const GRPC_IMAGE = 'ghcr.io/gitwave-demo/orders-grpc:1.4.0';
const REST_OVERRIDE = 'ghcr.io/gitwave-demo/orders-rest:1.5.0-rc.1';

describe('drift and the Git-independent deploy, on the local runtime', () => {
  let e2e: E2E;
  let synced: string;
  before(async () => {
    e2e = await startE2E();
    synced = e2e.commit(jobDuration(0.1), 'quick jobs');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) assert.equal((await e2e.finished(app, synced)).operationState?.phase, 'Succeeded');
  });
  after(async () => e2e?.stop());

  const imageOf = async (app: string, deployment: string) =>
    e2e.kubectl('-n', app, 'get', 'deployment', deployment, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');

  it('an object changed with kubectl is reported OutOfSync by the next sweep and restored by selfHeal', async () => {
    await e2e.kubectl('-n', 'orders-dev', 'set', 'image', 'deployment/orders-grpc', 'grpc=ghcr.io/someone/else:6.6.6');
    assert.equal(await imageOf('orders-dev', 'orders-grpc'), 'ghcr.io/someone/else:6.6.6');
    const writesBefore = e2e.writes().length;
    const operationsBefore = (await e2e.store.listOperations('orders-dev')).length;

    const result = await e2e.rt.sweep() as { clusters: number; requested: number };
    // Read at once: the selfHeal sync the sweep queued has not finished yet (it waits for waves).
    const reported = await e2e.store.getStatus('orders-dev');
    assert.equal(result.clusters, 1);
    assert.equal(result.requested, 1, 'one selfHeal sync queued, for orders-dev only');
    assert.equal(reported?.sync?.status, 'OutOfSync');
    const grpc = (reported?.resources as Array<{ kind: string; name: string; sync: { status: string } }>).find((r) => r.kind === 'Deployment' && r.name === 'orders-grpc');
    assert.equal(grpc?.sync.status, 'OutOfSync');

    await waitFor('selfHeal to restore orders-grpc', async () => (await imageOf('orders-dev', 'orders-grpc')) === GRPC_IMAGE);
    const operation = await waitFor('the selfHeal sync to finish', async () => {
      const operations = await e2e.store.listOperations('orders-dev');
      return operations.length > operationsBefore && operations[0].phase !== 'Running' && !(await e2e.lockHeld()) ? operations[0] : undefined;
    });
    assert.equal(operation.phase, 'Succeeded', operation.message);
    assert.deepEqual(operation.initiatedBy, { automated: true });
    assert.equal(operation.selective, true, 'selfHeal syncs only what drifted');
    // The record step has no cluster access: the next sweep reads the healed cluster and says so.
    const again = await e2e.rt.sweep() as { requested: number };
    assert.equal(again.requested, 0);
    const healed = await e2e.store.getStatus('orders-dev');
    assert.deepEqual(healed?.sync, { status: 'Synced', revision: synced });
    assert.deepEqual(e2e.writes().slice(writesBefore).filter((w) => w.namespace === 'orders-staging'), [], 'orders-staging untouched');
  });

  it('a manual sync with an image override deploys without a commit and is marked so in history', async () => {
    const run = await gitwave(['app', 'sync', 'orders-dev', '--image', `ghcr.io/gitwave-demo/orders-rest=${REST_OVERRIDE}`, '-o', 'json'], { env: { GITWAVE_HOME: e2e.rt.home.root } });
    assert.equal(run.code, 0, run.stderr);
    const { syncId } = JSON.parse(run.stdout) as { syncId: string };
    assert.ok(syncId);

    await waitFor('the override deployed', async () => (await imageOf('orders-dev', 'orders-rest')) === REST_OVERRIDE);
    const operation = await waitFor('the manual sync to finish', async () => {
      const [newest] = await e2e.store.listOperations('orders-dev');
      return newest && !newest.fromGit && newest.phase !== 'Running' && !(await e2e.lockHeld()) ? newest : undefined;
    });
    assert.equal(operation.phase, 'Succeeded', operation.message);
    assert.equal(operation.revision, synced);
    assert.deepEqual(operation.initiatedBy.automated, undefined, 'a person asked');
    assert.equal(e2e.head(), synced, 'no commit was made');

    const history = await e2e.api('/api/applications/orders-dev/history');
    assert.equal(history.status, 200);
    const [newest, previous] = history.body as Array<{ revision: string; fromGit: boolean; overrides?: unknown }>;
    assert.equal(newest.revision, synced);
    assert.equal(newest.fromGit, false);
    assert.match(JSON.stringify(newest.overrides), /orders-rest:1\.5\.0-rc\.1/);
    assert.equal(previous.fromGit, true);
    assert.equal(await imageOf('orders-staging', 'orders-rest'), 'ghcr.io/gitwave-demo/orders-rest:1.4.0', 'only the Application asked for');
  });
});
