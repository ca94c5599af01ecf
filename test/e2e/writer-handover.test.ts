// End to end on the local runtime: a writer whose history nears Step Functions' 25,000-event limit
// hands over to a fresh writer (docs/engine.md, "History hand-over"). The budget is made tiny here, so
// the writer hands over at its second round: it ends SUCCEEDED still holding the lock, the janitor
// frees the lock and starts the next writer, and the request that was waiting is synced by it.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, waitFor, type E2E } from './helpers/runtime.ts';
import { FILES, jobDuration, setImage } from './helpers/sample.ts';
import { assertOneWriterAtATime, assertWritesFenced, executionsOf, gate, realHandler, writersThatHeld } from './helpers/writers.ts';
import { WRITER_STATE_NAMES } from '../../shared/engine/contracts.ts';
import { LOCAL_CLUSTER } from '../../local/register.ts';
import { stateStore } from '../../shared/lambda/runtime.ts';
import type { LambdaHandler } from '../../local/lambda-host.ts';

/** Every claim gets a budget of 1 event: a writer runs one round, then hands over if anything is pending. */
const lock: LambdaHandler = async (event, context) => {
  const input = event as { action: string };
  return (await realHandler('lock'))(input.action === 'claim' ? { ...input, eventBudget: 1 } : event, context);
};

/** The Sync-phase check of orders-dev waits for `held` to open, so a second request arrives during the round. */
let held: ReturnType<typeof gate<void>> | undefined;
let reached: ReturnType<typeof gate<void>> | undefined;
const checkWave: LambdaHandler = async (event, context) => {
  const input = event as { app: string; phase: string };
  if (held && reached && input.app === 'orders-dev' && input.phase === 'Sync') {
    reached.open();
    await held.promise;
  }
  return (await realHandler('check-wave'))(event, context);
};

describe('writer history hand-over, on the local runtime', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({ handlerOverrides: { lock, 'check-wave': checkWave } });
  });
  after(async () => {
    held?.open();
    await e2e?.stop();
  });

  it('a writer past its event budget ends holding the lock; the janitor starts a fresh writer, which syncs what was waiting', async () => {
    const sha = e2e.commit({ ...jobDuration(0.2), [FILES.grpc]: setImage('ghcr.io/gitwave-demo/orders-grpc:1.8.0') }, 'gRPC 1.8.0');
    held = gate();
    reached = gate();
    try {
      // Round 1 of the first writer: orders-dev alone (a manual sync).
      assert.equal((await e2e.api('/api/applications/orders-dev/sync', { body: {} })).status, 202);
      await reached.promise;
      // orders-staging is requested while the writer's round runs: its next claim sees it, over budget.
      assert.equal((await e2e.api('/api/applications/orders-staging/sync', { body: {} })).status, 202);
      await waitFor('orders-staging pending', async () => (await e2e.store.getPending(LOCAL_CLUSTER, 'orders-staging'))?.revision === sha);
    } finally {
      held.open();
      held = undefined;
    }
    for (const app of ['orders-dev', 'orders-staging']) {
      const status = await e2e.finished(app, sha);
      assert.equal(status.operationState?.phase, 'Succeeded', `${app}: ${status.operationState?.message}`);
    }
    await e2e.rt.settle();

    const [dev] = executionsOf(e2e, 'orders-dev', sha);
    const [staging] = executionsOf(e2e, 'orders-staging', sha);
    const writers = writersThatHeld(e2e);
    const first = writers.find((w) => w.executionArn === JSON.parse(dev.input).owner)!;
    const next = writers.find((w) => w.executionArn === JSON.parse(staging.input).owner)!;
    assert.notEqual(first.executionArn, next.executionArn, 'the waiting request ran under the next writer');
    assert.equal(first.status, 'SUCCEEDED');
    assert.ok(first.events.some((ev) => ev.state === WRITER_STATE_NAMES.handOver), 'the first writer handed over');
    assert.ok(!first.events.some((ev) => ev.state === WRITER_STATE_NAMES.release), 'it did not release the lock itself');
    assert.match(next.name, /-janitor$/, 'the janitor started the next writer');
    assert.ok(JSON.parse(staging.input).fence > JSON.parse(dev.input).fence, 'under a new lease');
    assert.equal(next.status, 'SUCCEEDED');
    assert.equal(await e2e.lockHeld(), false, 'the last writer released the cluster');
    assert.equal(await stateStore().pendingCount(LOCAL_CLUSTER), 0);
    assertOneWriterAtATime(e2e, ['orders-dev', 'orders-staging']);
    assertWritesFenced(e2e, ['orders-dev', 'orders-staging']);
  });
});
