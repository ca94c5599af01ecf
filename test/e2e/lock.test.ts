// End to end on the local runtime: one writer per cluster (SECURITY.md §4, §7 rows 32-35). Two
// Applications on one cluster are serialised by the lock; an apply task killed mid-wave (the Lambda
// timeout, `Lambda.Unknown`) is re-run and the sync still ends right, or fails cleanly once the
// retries are spent; a stopped execution's lock is freed by the janitor.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startE2E, waitFor, APPS, type E2E } from './helpers/runtime.ts';
import { FILES, jobDuration, setImage } from './helpers/sample.ts';
import { LOCAL_CLUSTER } from '../../local/register.ts';
import { assertOneWriterAtATime, claimGate, executionsOf, realHandler, stopExecution, writersThatHeld } from './helpers/writers.ts';
import { ENV, requiredEnv } from '../../shared/config/env.ts';
import type { LambdaHandler } from '../../local/lambda-host.ts';

const APPLY_TIMEOUT_MS = 3000;

/** Fault switches the handler wrappers read: a test arms one, the next matching call trips it. */
const faults = {
  /** Apply tasks of the Sync phase of this app hang after applying (the function is killed by its timeout). */
  killApply: undefined as undefined | { app: string; times: number; killed: number },
  /** The first Sync-phase check task (of whichever app holds the cluster) waits for the gate to open. */
  gate: undefined as undefined | { app?: string; reached: (app: string) => void; open: Promise<void> },
  /** The Record sync task of this app waits for the gate to open. */
  holdRecord: undefined as undefined | { app: string; reached: () => void; open: Promise<void> },
};

const applyWave: LambdaHandler = async (event, context) => {
  const input = event as { app: string; phase: string };
  const result = await (await realHandler('apply-wave'))(event, context);
  const kill = faults.killApply;
  if (kill && input.app === kill.app && input.phase === 'Sync' && kill.killed < kill.times) {
    kill.killed++;
    await new Promise(() => undefined); // never answers: the host's timeout ends the call as Lambda.Unknown
  }
  return result;
};

const checkWave: LambdaHandler = async (event, context) => {
  const input = event as { app: string; phase: string };
  const gate = faults.gate;
  if (gate && input.phase === 'Sync' && (gate.app ?? input.app) === input.app) {
    gate.app = input.app;
    gate.reached(input.app);
    await gate.open;
  }
  return (await realHandler('check-wave'))(event, context);
};

/** The writer's claims wait (when armed) until that many syncs are pending, so they run in one round. */
const claims = claimGate();

const record: LambdaHandler = async (event, context) => {
  const hold = faults.holdRecord;
  if (hold && (event as { app: string }).app === hold.app) {
    hold.reached();
    await hold.open;
  }
  return (await realHandler('record'))(event, context);
};

describe('one writer per cluster, on the local runtime', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({
      handlerOverrides: { 'apply-wave': applyWave, 'check-wave': checkWave, lock: claims.handler, record },
      functionTimeoutsMs: { 'apply-wave': APPLY_TIMEOUT_MS },
    });
  });
  after(async () => e2e?.stop());

  it('two Applications on one cluster sync at once, as children of the one writer that holds the lock', async () => {
    claims.arm(APPS.length);
    const sha = e2e.commit(jobDuration(0.2), 'quick jobs');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) assert.equal((await e2e.finished(app, sha)).operationState?.phase, 'Succeeded');

    const children = APPS.map((app) => executionsOf(e2e, app, sha));
    assert.deepEqual(children.map((x) => x.map((c) => c.status)), [['SUCCEEDED'], ['SUCCEEDED']]);
    const owners = new Set(children.map(([c]) => JSON.parse(c.input).owner as string));
    assert.equal(owners.size, 1, 'both ran under one writer\'s lease');
    const [writer] = [...owners];
    assert.ok(writersThatHeld(e2e).some((w) => w.executionArn === writer));
    const [a, b] = children.map(([c]) => c);
    assert.ok(Math.max(a.startDate, b.startDate) < Math.min(a.stopDate!, b.stopDate!), 'the two syncs overlapped in time');
    for (const [c] of children) assert.match(c.name, new RegExp(`^${JSON.parse(c.input).app}-${sha.slice(0, 7)}-`), 'the child is named by app and revision');
    assertOneWriterAtATime(e2e, APPS);
  });

  it('an apply task killed mid-wave is re-run idempotently', async () => {
    faults.killApply = { app: 'orders-dev', times: 1, killed: 0 };
    const before = e2e.writes().length;
    const sha = e2e.commit({ [FILES.grpc]: setImage('ghcr.io/gitwave-demo/orders-grpc:1.5.0') }, 'gRPC 1.5.0');
    assert.equal((await e2e.push()).status, 202);
    const status = await e2e.finished('orders-dev', sha);
    faults.killApply = undefined;
    assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);

    const [execution] = executionsOf(e2e, 'orders-dev', sha);
    assert.ok(execution.events.some((ev) => ev.type.endsWith('StateRetried') && ev.state === 'Sync: apply wave'), 'the killed task was retried');
    assert.equal(execution.status, 'SUCCEEDED');
    assert.deepEqual((await e2e.store.listHistory('orders-dev')).map((h) => h.revision).at(-1), sha);
    const image = await e2e.kubectl('-n', 'orders-dev', 'get', 'deployment', 'orders-grpc', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    assert.equal(image, 'ghcr.io/gitwave-demo/orders-grpc:1.5.0');
    const jobs = new Set(e2e.writes().slice(before).filter((w) => w.namespace === 'orders-dev' && w.resource === 'jobs' && w.verb !== 'delete').map((w) => w.name));
    assert.equal([...jobs].filter((name) => name.startsWith('orders-migrate-')).length, 1, `one migration Job for the sync: ${[...jobs]}`);
    await e2e.finished('orders-staging', sha);
  });

  it('an apply task that keeps timing out fails the sync: no success recorded, lock released', async () => {
    faults.killApply = { app: 'orders-dev', times: Infinity, killed: 0 };
    // A manual sync (no commit pushed): automated syncs would retry the whole operation (SPEC-sync §6) on top.
    const sha = e2e.commit({ [FILES.grpc]: setImage('ghcr.io/gitwave-demo/orders-grpc:1.6.0') }, 'gRPC 1.6.0');
    const asked = await e2e.api('/api/applications/orders-dev/sync', { body: {} });
    assert.equal(asked.status, 202, JSON.stringify(asked.body));
    const status = await e2e.finished('orders-dev', sha);
    const killed = faults.killApply.killed;
    faults.killApply = undefined;
    assert.notEqual(status.operationState?.phase, 'Succeeded');
    assert.ok(killed >= 2 && Number.isFinite(killed), `a bounded number of re-runs (${killed})`);
    assert.deepEqual(executionsOf(e2e, 'orders-dev', sha).map((x) => x.status), ['FAILED']);
    assert.ok(!(await e2e.store.listHistory('orders-dev')).some((h) => h.revision === sha), 'no history entry for the failed revision');
    assert.equal(await e2e.lockHeld(), false);
  });

  it('a crashed writer loses no request: the janitor frees its lock and a new writer syncs what was pending', async () => {
    let reached!: (app: string) => void;
    const atGate = new Promise<string>((resolve) => { reached = resolve; });
    let open!: () => void;
    faults.gate = { reached, open: new Promise<void>((resolve) => { open = resolve; }) };
    const sha = e2e.commit({ [FILES.grpc]: setImage('ghcr.io/gitwave-demo/orders-grpc:1.7.0') }, 'gRPC 1.7.0');
    assert.equal((await e2e.push()).status, 202);
    try {
      await atGate;
      const held = await e2e.store.read(LOCAL_CLUSTER);
      assert.equal(held?.held, true);
      const writer = writersThatHeld(e2e).find((w) => w.executionArn === held?.owner);
      assert.ok(writer, 'a writer execution holds the cluster');
      await stopExecution(e2e, writer.executionArn);
      open();
      for (const app of APPS) {
        const status = await e2e.finished(app, sha, `${app} synced by the writer the janitor started`);
        assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);
      }
      assert.ok((await e2e.store.read(LOCAL_CLUSTER))!.fence > held!.fence, 'the new writer got a new fence');
      assert.ok(writersThatHeld(e2e).some((w) => w.name.endsWith('-janitor')), 'the janitor started the new writer');
      assertOneWriterAtATime(e2e, APPS);
    } finally {
      open();
      faults.gate = undefined;
    }
  });

  // SECURITY.md §7 rows 13 and 33: a push that arrives while its Application syncs is not dropped, and
  // of two syncs of one Application waiting for the lock, the older one (losing the race here on
  // purpose) never deploys after the newer one: it is superseded (fixed in ff06202).
  it('pushes during a sync end on the newest commit, for every Application', async () => {
    let reached!: (app: string) => void;
    const atGate = new Promise<string>((resolve) => { reached = resolve; });
    let open!: () => void;
    faults.gate = { app: 'orders-dev', reached, open: new Promise<void>((resolve) => { open = resolve; }) };
    const older = e2e.commit({ [FILES.rest]: setImage('ghcr.io/gitwave-demo/orders-rest:3.0.0') }, 'REST 3.0.0');
    let newer = '';
    try {
      assert.equal((await e2e.push()).status, 202);
      await atGate; // orders-dev holds the cluster; orders-staging's sync of the older commit waits for the lock
      newer = e2e.commit({ [FILES.rest]: setImage('ghcr.io/gitwave-demo/orders-rest:3.1.0') }, 'REST 3.1.0');
      assert.equal((await e2e.push()).status, 202);
      // orders-staging's sync runs in the writer's next round, after orders-dev's: planned means queued.
      await waitFor('the newer commit queued for orders-staging', async () => (await e2e.store.getPending(LOCAL_CLUSTER, 'orders-staging'))?.revision === newer);
    } finally {
      open();
      faults.gate = undefined;
    }
    await e2e.rt.settle();
    const ends = await Promise.all(APPS.map(async (app) => {
      const [status, history] = await Promise.all([e2e.store.getStatus(app), e2e.store.listHistory(app)]);
      return { app, synced: status?.sync?.revision?.slice(0, 7), lastDeploy: history.at(-1)?.revision.slice(0, 7) };
    }));
    assert.deepEqual(ends, APPS.map((app) => ({ app, synced: newer.slice(0, 7), lastDeploy: newer.slice(0, 7) })), `older is ${older.slice(0, 7)}`);
  });

  // Was /work/notes/e2e-bugs.md #3: a plan step read the status, compared with the cluster, and wrote its
  // older view (revision, Running operation) back after the sync recorded its end. Here the plan step's
  // cluster reads are slowed while the sync records, so its write comes after the sync's: it is refused
  // (the comparison sequence moved on) and the plan step compares again (shared/store/status.ts).
  it('a plan step that overlaps the end of a sync keeps the revision the sync recorded', async () => {
    let reached!: () => void;
    const atRecord = new Promise<void>((resolve) => { reached = resolve; });
    let open!: () => void;
    faults.holdRecord = { app: 'orders-dev', reached, open: new Promise<void>((resolve) => { open = resolve; }) };
    const sha = e2e.commit({ [FILES.rest]: setImage('ghcr.io/gitwave-demo/orders-rest:4.0.0') }, 'REST 4.0.0');
    const sqs = new SQSClient({ endpoint: process.env.AWS_ENDPOINT_URL_SQS, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      // Only orders-dev syncs (a push would queue orders-staging too, whose sync takes the lock next).
      assert.equal((await e2e.api('/api/applications/orders-dev/sync', { body: {} })).status, 202);
      await atRecord; // orders-dev applied the commit and holds the cluster, its outcome not yet recorded
      const since = new Date().toISOString();
      e2e.rt.simulator!.setFaults({ latencyMs: 300 });
      // What the drift sweep queues for an app whose commit it has not seen rendered (no sha: render reads the head).
      await sqs.send(new SendMessageCommand({ QueueUrl: requiredEnv(ENV.QUEUE_URL), MessageGroupId: 'orders-dev', MessageDeduplicationId: `refresh-${sha}`, MessageBody: JSON.stringify({ app: 'orders-dev', trigger: 'drift' }) }));
      await waitFor('the plan step listing live objects', async () => e2e.rt.simulator!.audit().some((a) => a.time > since && a.verb === 'list'));
    } finally {
      open();
      faults.holdRecord = undefined;
    }
    await e2e.rt.settle();
    e2e.rt.simulator!.setFaults({});
    sqs.destroy();
    const status = await e2e.store.getStatus('orders-dev');
    assert.deepEqual({ revision: status?.operationState?.revision, phase: status?.operationState?.phase }, { revision: sha, phase: 'Succeeded' });
    assert.deepEqual(status?.sync, { status: 'Synced', revision: sha });
  });
});
