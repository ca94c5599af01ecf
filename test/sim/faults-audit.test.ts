import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { apply, call, startTestSim } from './helpers.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });

describe('fault injection', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('fails the chosen verb with 429 and Retry-After, a bounded number of times', async () => {
    const set = await call(sim, 'PUT', '/_sim/faults', { errorRate: { create: 1 }, status: 429, retryAfterSeconds: 2, times: 1 });
    assert.equal(set.status, 200);
    const listed = await call(sim, 'GET', CM);
    assert.equal(listed.status, 200, 'other verbs are untouched');
    const throttled = await call(sim, 'POST', CM, cm('f1'));
    assert.equal(throttled.status, 429);
    assert.equal(throttled.headers.get('retry-after'), '2');
    assert.equal(throttled.body.reason, 'TooManyRequests');
    assert.equal(throttled.body.details.retryAfterSeconds, 2);
    const retried = await call(sim, 'POST', CM, cm('f1'));
    assert.equal(retried.status, 201);
  });

  it('answers 5xx and 409 as Status objects, switchable through setFaults', async () => {
    sim.setFaults({ errorRate: { '*': 1 }, status: 503 });
    const unavailable = await call(sim, 'GET', CM);
    assert.equal(unavailable.status, 503);
    assert.equal(unavailable.body.reason, 'ServiceUnavailable');
    sim.setFaults({ errorRate: { patch: 1 }, status: 409 });
    const conflict = await apply(sim, `${CM}/f2`, cm('f2'), 'gitwave');
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, 'Conflict');
    sim.setFaults({});
    assert.equal((await apply(sim, `${CM}/f2`, cm('f2'), 'gitwave')).status, 201);
  });

  it('drops connections without an answer', async () => {
    await call(sim, 'PUT', '/_sim/faults', { dropRate: 1, times: 1 });
    await assert.rejects(call(sim, 'GET', CM));
    assert.equal((await call(sim, 'GET', CM)).status, 200);
  });

  it('drops a connection after handling the request: the write takes effect, the answer is lost, the audit says so', async () => {
    sim.setFaults({ dropAfterRate: 1, times: 1 });
    await assert.rejects(apply(sim, `${CM}/lost`, cm('lost'), 'gitwave'));
    assert.equal((await call(sim, 'GET', `${CM}/lost`)).status, 200, 'the apply took effect');
    const entry = sim.audit().findLast((e) => e.name === 'lost' && e.verb === 'patch');
    assert.deepEqual({ code: entry?.code, answerLost: entry?.answerLost }, { code: 201, answerLost: true });
  });

  it('picks each failure\'s status from a list, the same sequence for the same seed', async () => {
    const run = async () => {
      sim.setFaults({ errorRate: { get: 0.5 }, status: [503, 429], seed: 7 });
      const codes: number[] = [];
      for (let i = 0; i < 40; i++) codes.push((await call(sim, 'GET', `${CM}/missing`)).status);
      return codes;
    };
    const first = await run();
    assert.deepEqual(await run(), first, 'the same seed, the same answers');
    assert.ok(first.includes(503) && first.includes(429) && first.includes(404), `both statuses and successes: ${first}`);
    sim.setFaults({});
  });

  it('refuses an empty status list and a negative seed', async () => {
    assert.match((await call(sim, 'PUT', '/_sim/faults', { status: [] })).body.message, /status must not be an empty list/);
    assert.match((await call(sim, 'PUT', '/_sim/faults', { seed: -1 })).body.message, /seed must be a non-negative number/);
    assert.match((await call(sim, 'PUT', '/_sim/faults', { status: [503, 'x'] })).body.message, /status\[1\] must be a non-negative number/);
  });

  it('adds latency and still answers', async () => {
    await call(sim, 'PUT', '/_sim/faults', { latencyMs: 5 });
    assert.deepEqual((await call(sim, 'GET', '/_sim/faults')).body, { latencyMs: 5 });
    assert.equal((await call(sim, 'GET', CM)).status, 200);
    await call(sim, 'DELETE', '/_sim/faults');
  });

  it('refuses a malformed faults document naming the field', async () => {
    const res = await call(sim, 'PUT', '/_sim/faults', { errorRate: { get: 2 } });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /errorRate\.get must be a number between 0 and 1/);
  });
});

describe('audit log', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('records every request in order with verb, object, field manager, dry-run and code', async () => {
    await call(sim, 'DELETE', '/_sim/audit');
    await apply(sim, `${CM}/a1`, cm('a1'), 'gitwave', 'dryRun=All');
    await apply(sim, `${CM}/a1`, cm('a1'), 'gitwave');
    await call(sim, 'GET', `${CM}/missing`);
    await call(sim, 'DELETE', `${CM}/a1`);
    const entries = (await call(sim, 'GET', '/_sim/audit')).body as any[];
    const own = entries.filter((e) => e.resource === 'configmaps');
    assert.deepEqual(own.map((e) => [e.verb, e.name, e.fieldManager, e.dryRun, e.code]), [
      ['patch', 'a1', 'gitwave', true, 201],
      ['patch', 'a1', 'gitwave', false, 201],
      ['get', 'missing', '', false, 404],
      ['delete', 'a1', '', false, 200],
    ]);
    assert.equal(own[0].patchType, 'apply');
    assert.deepEqual([own[0].group, own[0].version, own[0].namespace], ['', 'v1', 'default']);
    assert.ok(!Number.isNaN(Date.parse(own[0].time)));
    assert.deepEqual(sim.audit().filter((e) => e.resource === 'configmaps').length, 4);
  });
});
