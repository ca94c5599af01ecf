import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../shared/model/object.ts';
import {
  ClusterAuthError,
  TerminalClusterError,
  TransientClusterError,
  type KubeClusterClient,
} from '../../shared/kube/index.ts';
import { auditFor, startSimFixture, type SimFixture } from './helpers/sim.ts';

const cm = (name: string, data: Record<string, string> = { a: '1' }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});
const ref = (name: string) => ({ group: '', kind: 'ConfigMap', namespace: 'default', name });
/** HTTP codes the simulator answered for an object's API calls of one verb, in order. */
const codes = (fx: SimFixture, name: string, verb: string) => auditFor(fx.sim, 'configmaps', name).filter((a) => a.verb === verb).map((a) => a.code);

describe('KubeClusterClient against the simulator: the fault table of SECURITY.md §6', () => {
  let fx: SimFixture;
  let kube: KubeClusterClient;
  before(async () => {
    fx = await startSimFixture();
    kube = fx.client();
    await kube.discover({ group: '', kind: 'ConfigMap' }); // warm discovery so faults hit the object calls
  });
  afterEach(() => {
    fx.sim.setFaults({});
    fx.waits.length = 0;
  });
  after(() => fx.stop());

  for (const status of [500, 503, 504]) {
    it(`retries a ${status} with backoff and then succeeds`, async () => {
      fx.sim.setFaults({ errorRate: { patch: 1 }, status, times: 2, retryAfterSeconds: 0 });
      const result = await kube.apply(cm(`blip-${status}`));
      assert.equal(result.created, true);
      assert.deepEqual(codes(fx, `blip-${status}`, 'patch'), [status, status, 201]);
      assert.equal(fx.waits.length, 2);
    });
  }

  it('gives up on a lasting 5xx after the attempt cap, as a transient error', async () => {
    fx.sim.setFaults({ errorRate: { get: 1 }, status: 500 });
    await assert.rejects(kube.get(ref('down')), (err: Error) => err instanceof TransientClusterError && /gave up after 4 attempts/.test(err.message) && /^failed to get configmaps default\/down: internal error/i.test(err.message));
    assert.deepEqual(codes(fx, 'down', 'get'), [500, 500, 500, 500]);
  });

  it('honours Retry-After on a 429', async () => {
    fx.sim.setFaults({ errorRate: { patch: 1 }, status: 429, times: 1, retryAfterSeconds: 2 });
    await kube.apply(cm('throttled'));
    assert.deepEqual(codes(fx, 'throttled', 'patch'), [429, 201]);
    assert.equal(fx.waits.length, 1);
    assert.ok(fx.waits[0] >= 2000, `waited ${fx.waits[0]} ms for Retry-After: 2`);
  });

  it('tells the onRetry listener of `as` of each retry (error, attempt, wait) before waiting, and the plain client not', async () => {
    const notices: Array<{ code?: number; attempt: number; maxAttempts: number; delayMs: number; waitsBefore: number }> = [];
    const listening = kube.as('gitwave-test', { onRetry: (n) => { notices.push({ code: n.error.code, attempt: n.attempt, maxAttempts: n.maxAttempts, delayMs: n.delayMs, waitsBefore: fx.waits.length }); } });
    fx.sim.setFaults({ errorRate: { patch: 1 }, status: [503, 429], times: 2, retryAfterSeconds: 1, seed: 3 });
    await listening.apply(cm('noticed'));
    assert.deepEqual(notices.map((n) => [n.attempt, n.waitsBefore]), [[1, 0], [2, 1]], 'each notice before its wait');
    assert.deepEqual(notices.map((n) => n.code), codes(fx, 'noticed', 'patch').slice(0, 2));
    assert.ok(notices.every((n) => n.delayMs >= 1000 && n.maxAttempts > 2), JSON.stringify(notices));
    fx.sim.setFaults({ errorRate: { patch: 1 }, status: 503, times: 1 });
    await kube.apply(cm('unnoticed'));
    assert.equal(notices.length, 2, 'the client without a listener tells no one');
  });

  it('retries a 409 that is not an apply conflict (stale write), without forcing', async () => {
    fx.sim.setFaults({ errorRate: { patch: 1 }, status: 409, times: 1 });
    const result = await kube.apply(cm('stale'));
    assert.deepEqual(result.takenOver, []);
    assert.deepEqual(codes(fx, 'stale', 'patch'), [409, 201]);
    assert.equal(fx.waits.length, 1);
  });

  it('fails a 422 at once: permanent, no retry', async () => {
    fx.sim.setFaults({ errorRate: { patch: 1 }, status: 422, times: 1 });
    await assert.rejects(kube.apply(cm('invalid')), (err: Error) => err instanceof TerminalClusterError && !(err instanceof TransientClusterError));
    assert.deepEqual(codes(fx, 'invalid', 'patch'), [422]);
    assert.equal(fx.waits.length, 0);
  });

  it('fails an object the server rejects as invalid (unknown field), naming the field', async () => {
    const bad = { ...cm('unknown-field'), spec: { nope: true } };
    await assert.rejects(kube.apply(bad), (err: Error) => err instanceof TerminalClusterError && err.code === 422 && /spec/.test(err.message));
  });

  it('retries dropped connections', async () => {
    fx.sim.setFaults({ dropRate: 1, times: 2 });
    const result = await kube.apply(cm('dropped'));
    assert.equal(result.created, true);
    assert.deepEqual(codes(fx, 'dropped', 'patch'), [0, 0, 201]);
  });

  it('retries a request that times out', async () => {
    const slowKube = fx.client({ timeoutMs: 100 });
    fx.sim.setFaults({ latencyMs: 400 });
    await assert.rejects(slowKube.get(ref('slow')), (err: Error) => err instanceof TransientClusterError && /request timed out/.test(err.message));
    assert.equal(fx.waits.length, 3, 'retried up to the attempt cap');
  });

  it('on a 401 gets new credentials once and retries', async () => {
    fx.sim.setFaults({ errorRate: { patch: 1 }, status: 401, times: 1 });
    const result = await kube.apply(cm('reauth'));
    assert.equal(result.created, true);
    assert.deepEqual(codes(fx, 'reauth', 'patch'), [401, 201]);
    assert.equal(fx.waits.length, 0, 'not a backoff retry');
  });

  it('on a second 401 fails as a configuration error, without a retry loop', async () => {
    fx.sim.setFaults({ errorRate: { get: 1 }, status: 401 });
    await assert.rejects(kube.get(ref('denied')), (err: Error) => err instanceof ClusterAuthError && /check the cluster credentials/.test(err.message));
    assert.deepEqual(codes(fx, 'denied', 'get'), [401, 401]);
  });
});
