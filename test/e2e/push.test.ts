// End to end on the local runtime (issue 6): GitHub's signed push reaches every affected Application
// through the gateway, the queue, render, plan and the synthesized state machine, and the simulator's
// audit log shows the deploy in phase and wave order; refused, repeated and bursty deliveries.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, APPS, ROLLOUT_DELAY_SECONDS, type E2E } from './helpers/runtime.ts';
import { auditKey, firstIndexes, jobDuration, FILES, annotate } from './helpers/sample.ts';
import { LOCAL_CLUSTER } from '../../local/register.ts';

const MIGRATION_SECONDS = 0.5;

describe('push to synced, on the local runtime', () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E();
  });
  after(async () => e2e?.stop());

  it('a signed push syncs every affected Application: PreSync ConfigMap → migration Job (completed) → wave 0 → gRPC wave 1 healthy → REST wave 2 → PostSync', async () => {
    const sha = e2e.commit(jobDuration(MIGRATION_SECONDS), 'jobs take half a second');
    const answer = await e2e.push();
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.deepEqual([...answer.body.applications].sort(), [...APPS]);

    for (const app of APPS) {
      const status = await e2e.finished(app, sha);
      assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);
      assert.deepEqual(status.sync, { status: 'Synced', revision: sha });
      assert.equal(status.health?.status, 'Healthy');
      const history = await e2e.store.listHistory(app);
      assert.deepEqual(history.map((h) => [h.revision, h.fromGit]), [[sha, true]]);

      const writes = e2e.writes((e) => e.namespace === app || (e.resource === 'namespaces' && e.name === app));
      const order = ['Namespace/' + app, 'ConfigMap/orders-migration-config', 'Job/orders-migrate-*', 'ConfigMap/orders-config',
        'Service/orders-grpc', 'Deployment/orders-grpc', 'Service/orders-rest', 'Deployment/orders-rest', 'Job/orders-smoke-*'];
      const indexes = firstIndexes(writes, order);
      assert.ok(indexes.every((i) => i >= 0), `every object written: ${order.filter((_, i) => indexes[i] < 0)}`);
      assert.deepEqual([...indexes].sort((a, b) => a - b), indexes, `applied in order:\n${writes.map(auditKey).join('\n')}`);
      // The simulator completes the Job only after its duration, and a Deployment is ready only after
      // the rollout delay: a wave started earlier would have started before its gate was met.
      const at = (key: string) => Date.parse(writes[indexes[order.indexOf(key)]].time);
      assert.ok(at('ConfigMap/orders-config') - at('Job/orders-migrate-*') >= MIGRATION_SECONDS * 1000, 'wave 0 waited for the migration Job');
      assert.ok(at('Deployment/orders-rest') - at('Deployment/orders-grpc') >= ROLLOUT_DELAY_SECONDS * 1000, 'wave 2 waited for gRPC to be healthy');
    }
    assert.equal(await e2e.lockHeld(), false);
    const tracking = await e2e.kubectl('-n', 'orders-dev', 'get', 'deployment', 'orders-rest', '-o', 'jsonpath={.metadata.annotations.argocd\\.argoproj\\.io/tracking-id}');
    assert.equal(tracking, 'orders-dev:apps/Deployment:orders-dev/orders-rest');
  });

  it('a forged or missing signature is answered 401 and nothing is queued', async () => {
    const sha = e2e.commit({ [FILES.config]: (t) => t.replace('LOG_LEVEL: info', 'LOG_LEVEL: debug') }, 'unsigned change');
    const published = () => e2e.rt.queueSpy.getAllMessages().filter((m) => m.service === 'sqs' && m.status === 'published' && m.body.includes(sha));
    const forged = { secret: 'not-the-secret' };
    const flipped = { tamper: (body: string) => body.replace('"test push"', '"test pusH"') };
    for (const [name, options] of Object.entries({ forged, missing: { secret: null }, flipped })) {
      const deliveryId = `refused-${name}-${sha}`;
      const answer = await e2e.push({ ...options, deliveryId });
      assert.equal(answer.status, 401, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(await e2e.store.isDuplicateDelivery(deliveryId), false, `${name}: no delivery recorded`);
    }
    assert.deepEqual(published(), []);
    assert.ok(!e2e.rt.stepFunctions.executions().some((x) => JSON.parse(x.input).revision === sha));
  });

  it('a duplicate delivery starts no second execution', async () => {
    // A commit never pushed before (the 401s above queued nothing), so the first delivery is new.
    const sha = e2e.head();
    const deliveryId = `twice-${sha}`;
    const first = await e2e.push({ deliveryId });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const second = await e2e.push({ deliveryId });
    assert.ok(second.status < 300, `duplicate answered ${second.status}`);
    assert.notEqual(second.status, 202, `the duplicate is not queued again: ${JSON.stringify(second.body)}`);
    const queued = e2e.rt.queueSpy.getAllMessages().filter((m) => m.service === 'sqs' && m.status === 'published' && m.body.includes(deliveryId));
    assert.deepEqual(queued.map((m) => JSON.parse((m as { body: string }).body).app).sort(), [...APPS], 'one message per Application, none for the duplicate');
    for (const app of APPS) await e2e.finished(app, sha);
    await e2e.rt.settle();
    const executions = e2e.rt.stepFunctions.executions().filter((x) => JSON.parse(x.input).revision === sha);
    assert.deepEqual(executions.map((x) => JSON.parse(x.input).app).sort(), [...APPS], 'one execution per Application');
  });

  it('20 pushes in a burst end with the newest commit synced once', async () => {
    const shas: string[] = [];
    for (let i = 0; i < 20; i++) shas.push(e2e.commit({ [FILES.rest]: annotate('Deployment', { 'demo.gitwave.dev/burst': String(i) }) }, `burst ${i}`));
    const answers = await Promise.all(shas.map((after, i) => e2e.push({ after, before: i ? shas[i - 1] : undefined })));
    assert.deepEqual(answers.map((a) => a.status), shas.map(() => 202));
    const newest = shas.at(-1)!;
    for (const app of APPS) {
      const status = await e2e.finished(app, newest);
      // What was deployed (status.sync.revision, the commit last compared, is checked in status.test.ts).
      assert.equal(status.operationState?.revision, newest, `${app}: ${JSON.stringify(status.operationState)}`);
      assert.equal(status.operationState?.phase, 'Succeeded', `${app}: ${status.operationState?.message}`);
    }
    await e2e.rt.settle();
    for (const app of APPS) {
      const newestRuns = e2e.rt.stepFunctions.executions().filter((x) => JSON.parse(x.input).app === app && JSON.parse(x.input).revision === newest);
      assert.equal(newestRuns.length, 1, `${app}: one execution of the newest commit`);
      const history = (await e2e.store.listHistory(app)).filter((h) => shas.includes(h.revision));
      assert.deepEqual(history.map((h) => h.revision).filter((r) => r === newest), [newest], `${app}: the newest commit in history once`);
      assert.equal(history.at(-1)?.revision, newest, `${app}: history ends on the newest commit`);
    }
    const burst = await e2e.kubectl('-n', 'orders-staging', 'get', 'deployment', 'orders-rest', '-o', 'jsonpath={.metadata.annotations.demo\\.gitwave\\.dev/burst}');
    assert.equal(burst, '19');
    assert.equal((await e2e.store.read(LOCAL_CLUSTER))?.held, false);
  });
});
