// Automated sync decisions (SPEC-sync §6): one row per rule, plus the backoff and retry arithmetic.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  afterOperation, decideAutoSync, durationSeconds, retryBackoff, retryPolicyFor, selfHealBackoff, type AutoSyncInput, type ResourceSyncState,
} from '../../shared/sync/auto-sync.ts';
import { startOperation } from '../../shared/sync/state.ts';

const key = (name: string) => ({ group: 'apps', kind: 'Deployment', namespace: 'default', name });
const drifted: ResourceSyncState = { key: key('web'), status: 'OutOfSync', requiresPruning: false };
const synced: ResourceSyncState = { key: key('db'), status: 'Synced', requiresPruning: false };
const extra: ResourceSyncState = { key: key('old'), status: 'OutOfSync', requiresPruning: true };

function input(overrides: Partial<AutoSyncInput> = {}): AutoSyncInput {
  return {
    automated: { prune: true }, operationRunning: false, deleting: false, syncStatus: 'OutOfSync',
    resources: [drifted, synced], desired: { revision: 'bbb', source: { path: 'app' } }, now: 1000, ...overrides,
  };
}

const succeededBefore = { revision: 'bbb', source: { path: 'app' }, phase: 'Succeeded' as const, message: 'ok', finishedAt: 990, selfHealAttempts: 0 };

describe('decideAutoSync', () => {
  const cases: Array<[string, Partial<AutoSyncInput>, string, RegExp?]> = [
    ['automated off', { automated: undefined }, 'none', /off/],
    ['automated disabled explicitly', { automated: { enabled: false } }, 'none', /off/],
    ['enabled: null means on', { automated: { enabled: null, prune: true } }, 'sync'],
    ['an operation is running', { operationRunning: true }, 'none', /running/],
    ['the app is being deleted', { deleting: true }, 'none', /deleted/],
    ['Synced never triggers', { syncStatus: 'Synced' }, 'none', /Synced/],
    ['Unknown never triggers', { syncStatus: 'Unknown' }, 'none', /Unknown/],
    ['prune off and only pruning needed → skip', { automated: { prune: false }, resources: [synced, extra] }, 'none', /prune extra resources only/],
    ['a new revision → sync', {}, 'sync'],
    ['the same revision failed → SyncError, no retry', { lastOperation: { ...succeededBefore, phase: 'Failed', message: 'boom' } }, 'error', /^Failed last sync attempt to bbb: boom$/],
    ['the same revision succeeded, no selfHeal → skip', { lastOperation: succeededBefore }, 'none', /already to bbb/],
    ['a changed source is a new attempt', { lastOperation: { ...succeededBefore, source: { path: 'other' } } }, 'sync'],
    ['revisions not compared when the commit does not touch the app', { compareRevisions: false, lastOperation: { ...succeededBefore, revision: 'aaa', phase: 'Failed' } }, 'error'],
    ['prune on, every resource needs pruning → wipe-out refused', { resources: [extra] }, 'error', /^auto-sync will wipe out all resources$/],
    ['no resources at all → wipe-out refused', { resources: [] }, 'error', /wipe out/],
    ['allowEmpty lets it through', { automated: { prune: true, allowEmpty: true }, resources: [extra] }, 'sync'],
  ];
  for (const [name, overrides, action, message] of cases) {
    it(name, () => {
      const decision = decideAutoSync(input(overrides));
      assert.equal(decision.action, action, JSON.stringify(decision));
      if (message && decision.action === 'none') assert.match(decision.reason, message);
      if (message && decision.action === 'error') assert.match(decision.condition.message, message);
    });
  }

  it('creates the operation from the spec: prune, syncOptions, default retry {limit 5}, automated', () => {
    const decision = decideAutoSync(input({ syncOptions: ['CreateNamespace=true'] }));
    assert.deepEqual(decision, {
      action: 'sync',
      operation: { revision: 'bbb', prune: true, syncOptions: ['CreateNamespace=true'], retry: { limit: 5 }, initiatedBy: { automated: true }, selfHealAttempts: 0 },
    });
    const custom = decideAutoSync(input({ retry: { limit: 2 } }));
    assert.equal(custom.action === 'sync' && custom.operation.retry.limit, 2);
  });

  it('self-heal: a selective sync of the non-Synced resources only, after the backoff', () => {
    const selfHeal = { automated: { prune: true, selfHeal: true }, resources: [drifted, synced, extra] };
    const first = decideAutoSync(input({ ...selfHeal, lastOperation: succeededBefore }));
    assert.equal(first.action, 'sync');
    assert.deepEqual(first.action === 'sync' && first.operation.resources, [key('web'), key('old')]);
    assert.equal(first.action === 'sync' && first.operation.selfHealAttempts, 1);
    const early = decideAutoSync(input({ ...selfHeal, now: 1001, lastOperation: { ...succeededBefore, finishedAt: 1000, selfHealAttempts: 2 } }));
    assert.deepEqual(early, { action: 'wait', seconds: 5, reason: 'self-heal backoff' });
    const later = decideAutoSync(input({ ...selfHeal, now: 1006, lastOperation: { ...succeededBefore, finishedAt: 1000, selfHealAttempts: 2 } }));
    assert.equal(later.action === 'sync' && later.operation.selfHealAttempts, 3);
  });
});

describe('backoff arithmetic', () => {
  it('self-heal backoff is 2 s × 3^(n−1), capped at 300 s', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 10].map((n) => selfHealBackoff(n)), [0, 2, 6, 18, 54, 162, 300, 300]);
  });
  it('retry backoff is duration × factor^count, capped at maxDuration; defaults 5 s, 2, 3 m', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((n) => retryBackoff({ limit: 5 }, n)), [5, 10, 20, 40, 80, 160, 180]);
    assert.equal(retryBackoff({ backoff: { duration: '1m', factor: 3, maxDuration: '1m30s' } }, 1), 90);
    assert.equal(retryBackoff({ backoff: { duration: 10 } }, 0), 10);
  });
  it('parses Go durations and bare seconds, and refuses nonsense', () => {
    assert.equal(durationSeconds('1h2m3s', 0), 3723);
    assert.equal(durationSeconds('500ms', 0), 0.5);
    assert.equal(durationSeconds('7', 0), 7);
    assert.equal(durationSeconds(undefined, 5), 5);
    assert.throws(() => durationSeconds('5 minutes', 0), /invalid duration "5 minutes"/);
  });
  it('manual syncs retry only when configured; automated ones default to {limit 5}', () => {
    assert.equal(retryPolicyFor(false, undefined), undefined);
    assert.deepEqual(retryPolicyFor(true, undefined), { limit: 5 });
    assert.deepEqual(retryPolicyFor(false, { limit: 1 }), { limit: 1 });
  });
});

describe('afterOperation (retry loop)', () => {
  const failed = { ...startOperation('bbb', 100), phase: 'Failed' as const, message: 'one or more objects failed to apply', results: { x: {} as never } };

  it('retries a failed operation: Running again, results cleared, count up, next attempt after the backoff', () => {
    const decision = afterOperation(failed, { limit: 2 }, 200);
    assert.equal(decision.retry, true);
    if (!decision.retry) return;
    assert.equal(decision.at, 205);
    assert.equal(decision.state.phase, 'Running');
    assert.equal(decision.state.retryCount, 1);
    assert.equal(decision.state.finishedAt, 200);
    assert.deepEqual(decision.state.results, {});
    assert.equal(decision.state.message, 'one or more objects failed to apply. Retrying attempt #1 at 1970-01-01T00:03:25.000Z.');
  });

  it('stops at the limit and says how many times it retried; limit < 0 retries forever', () => {
    const exhausted = afterOperation({ ...failed, retryCount: 2 }, { limit: 2 }, 300);
    assert.deepEqual([exhausted.retry, exhausted.state.message], [false, 'one or more objects failed to apply (retried 2 times).']);
    assert.equal(afterOperation({ ...failed, retryCount: 50 }, { limit: -1 }, 300).retry, true);
  });

  it('never retries a terminated operation, a success, or without a policy', () => {
    assert.equal(afterOperation({ ...failed, terminated: true }, { limit: 5 }, 1).retry, false);
    assert.equal(afterOperation({ ...failed, phase: 'Succeeded' }, { limit: 5 }, 1).retry, false);
    assert.equal(afterOperation(failed, undefined, 1).retry, false);
  });

  it('unpins the revision when retry.refresh is set', () => {
    const decision = afterOperation(failed, { limit: 1, refresh: true }, 1);
    assert.equal(decision.retry && decision.refresh, true);
  });
});
