// The writer's history budget (shared/engine/lock-task.ts): a writer hands over to a fresh execution
// before Step Functions' 25,000-event limit, and never before it has run anything.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { historyBudget } from '../../shared/engine/lock-task.ts';
import { WRITER_EVENT_BUDGET } from '../../shared/engine/contracts.ts';

const done = (n: number) => Array.from({ length: n }, (_, i) => ({ app: `app-${i}`, syncId: `sync-${i}` }));

describe('writer history budget', () => {
  it('counts each round and each sync it ran', () => {
    const first = historyBudget({}, 10);
    assert.deepEqual(first, { spent: 12, handOver: false }, 'a writer that ran nothing never hands over');
    const second = historyBudget({ spent: first.spent, done: done(10) }, 3);
    assert.deepEqual(second, { spent: 12 + 12 + 10 * 12, handOver: false });
  });

  it('hands over when the next round would pass the budget, and only with syncs to run', () => {
    const near = WRITER_EVENT_BUDGET - 100;
    assert.equal(historyBudget({ spent: near, done: done(1) }, 10).handOver, true);
    assert.equal(historyBudget({ spent: near, done: done(1) }, 0).handOver, false, 'nothing pending: it releases instead');
    assert.equal(historyBudget({ spent: near, done: done(1) }, 1).handOver, false, 'one more sync still fits');
  });

  it('keeps a full claim of 200 syncs within the 25,000-event limit', () => {
    const last = historyBudget({ spent: WRITER_EVENT_BUDGET - 2 * 12 - 200 * 12, done: [] }, 200);
    assert.equal(last.handOver, false);
    assert.ok(last.spent + 12 + 200 * 12 <= 25_000);
  });
});
