// How a task of one phase loop answers what the operation-wide tick found (shared/engine/loop.ts),
// table-driven: act only on this phase's groups, refuse after a failure, conclude when the operation
// ends, and in SyncFail only run the SyncFail hooks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loopStep, observedState, statusAfter, type Situation } from '../../shared/engine/loop.ts';
import type { SyncPhase } from '../../shared/engine/contracts.ts';
import { startOperation, type OperationState, type ResourceResult, type TickDecision } from '../../shared/sync/index.ts';
import type { SyncTask } from '../../shared/sync/types.ts';

const running = startOperation('abc1234def', 1_700_000_000);
const ended = (phase: OperationState['phase']): OperationState => ({ ...running, phase });

const cases: Array<[string, Situation, SyncPhase, 'apply' | 'check', OperationState, ReturnType<typeof loopStep>]> = [
  ['a succeeded operation ends every phase', { kind: 'final', failing: false }, 'Sync', 'apply', ended('Succeeded'), { do: 'observe', status: 'phaseDone' }],
  ['a failed operation fails the phase', { kind: 'final', failing: true }, 'Sync', 'check', ended('Failed'), { do: 'observe', status: 'failed' }],
  ['a failed operation ends the SyncFail phase', { kind: 'final', failing: true }, 'SyncFail', 'apply', ended('Failed'), { do: 'observe', status: 'phaseDone' }],
  ['waiting on health', { kind: 'waiting', failing: false }, 'PreSync', 'check', running, { do: 'observe', status: 'progressing' }],
  ['waiting while a task already failed', { kind: 'waiting', failing: true }, 'Sync', 'check', running, { do: 'observe', status: 'failed' }],
  ['a group of a later phase', { kind: 'group', failing: false, phase: 'Sync', wave: 1 }, 'PreSync', 'apply', running, { do: 'observe', status: 'phaseDone' }],
  ['a group of this phase, applied', { kind: 'group', failing: false, phase: 'Sync', wave: 1 }, 'Sync', 'apply', running, { do: 'act' }],
  ['a group of this phase, only looked at', { kind: 'group', failing: false, phase: 'Sync', wave: 2 }, 'Sync', 'check', running, { do: 'observe', status: 'waveDone' }],
  ['the end, reached by a check', { kind: 'finish', failing: false }, 'PostSync', 'check', running, { do: 'act' }],
  ['an earlier task failed: the apply refuses', { kind: 'finish', failing: true }, 'Sync', 'apply', running, { do: 'observe', status: 'failed' }],
  ['SyncFail runs the SyncFail hooks', { kind: 'finish', failing: true }, 'SyncFail', 'apply', running, { do: 'act' }],
  ['SyncFail after an error outside the tick', { kind: 'group', failing: false, phase: 'Sync', wave: 0 }, 'SyncFail', 'apply', running, { do: 'abort', status: 'phaseDone' }],
];

describe('loopStep', () => {
  for (const [name, situation, phase, mode, before, expected] of cases) {
    it(name, () => assert.deepEqual(loopStep(situation, phase, mode, before), expected));
  }
});

function result(name: string, hookPhase: ResourceResult['hookPhase'], syncPhase: SyncPhase = 'Sync'): ResourceResult {
  return { group: 'batch', version: 'v1', kind: 'Job', namespace: 'ns', name, status: 'Synced', hookPhase, hookType: '', syncPhase, message: '', images: [], order: 1 };
}

describe('observedState', () => {
  it('keeps what changed on started tasks and drops results of tasks the task did not run', () => {
    const before = { ...running, results: { a: result('a', 'Running') } };
    const decision = {
      state: { ...before, results: { a: result('a', 'Succeeded'), b: result('b', 'Succeeded') } },
      stages: [], settle: { ok: { phase: 'Running', message: 'waiting for healthy state of apps/Deployment/web' } },
    } as unknown as TickDecision;
    const observed = observedState(before, decision);
    assert.deepEqual(Object.keys(observed.results), ['a']);
    assert.equal(observed.results.a.hookPhase, 'Succeeded');
    assert.equal(observed.message, 'waiting for healthy state of apps/Deployment/web');
  });
});

describe('statusAfter', () => {
  const task = (phase: SyncPhase) => ({ id: 'a', phase }) as SyncTask;
  it('fails the phase when a task failed and SyncFail hooks are still to run', () => {
    const state = { ...running, results: { a: result('a', 'Failed') } };
    assert.equal(statusAfter(state, [task('Sync')], 'Sync'), 'failed');
    assert.equal(statusAfter(state, [task('Sync')], 'SyncFail'), 'progressing');
  });
  it('ends the phase when the operation succeeded', () => {
    assert.equal(statusAfter(ended('Succeeded'), [task('Sync')], 'PreSync'), 'phaseDone');
  });
});
