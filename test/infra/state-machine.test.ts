import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { STATE_NAMES, SYNC_PHASES, YIELD_ERROR, phaseStateNames } from '../../shared/engine/contracts.ts';
import { allStates, loadStateMachineDefinition, type AslDefinition, type AslState } from '../../infra/local-definition.ts';
import { LAMBDA_SERVICE_ERRORS } from '../../infra/constructs/sync-definition.ts';
import { runSync, SyncWorld } from './local-sync.ts';

type AslValidator = (definition: unknown, options?: { checkPaths: boolean; checkArn: boolean }) => { isValid: boolean; errorsText: (sep?: string) => string };
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

// The definition as the template holds it, tokens resolved to local names (the same call the local runtime makes).
let definition: AslDefinition;
before(async () => { definition = await loadStateMachineDefinition(); });

describe('sync state machine definition', () => {
  it('is valid Amazon States Language', () => {
    const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
    assert.ok(result.isValid, result.errorsText('\n'));
  });

  it('names the states a person expects, with one loop per phase', () => {
    const names = new Set(allStates(definition).map(([name]) => name));
    for (const name of ['PreSync', 'Sync', 'PostSync', 'SyncFail', ...Object.values(STATE_NAMES)]) {
      assert.ok(names.has(name), name);
    }
    for (const phase of [...SYNC_PHASES, 'SyncFail' as const]) {
      const loop = phaseStateNames(phase);
      for (const name of [loop.apply, loop.decide, loop.wait, loop.check]) assert.ok(names.has(name), name);
    }
  });

  it('uses no Map state, waits with Wait states, and drives the phases inside one try block', () => {
    const states = allStates(definition);
    assert.ok(!states.some(([, s]) => s.Type === 'Map'));
    assert.equal(states.filter(([, s]) => s.Type === 'Wait').length, 4 + 1);
    for (const phase of [...SYNC_PHASES, 'SyncFail' as const]) assert.equal(definition.States[phaseStateNames(phase).wait]?.SecondsPath ?? findState(phaseStateNames(phase).wait)?.SecondsPath, '$.tick.nextCheckSeconds', 'the wait is the task\'s answer, never fixed');
    const trySync = definition.States[STATE_NAMES.trySync];
    assert.equal(trySync.Type, 'Parallel');
    assert.deepEqual(trySync.Catch, [
      { ErrorEquals: [YIELD_ERROR], Next: STATE_NAMES.yielded },
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'SyncFail' },
    ], 'a sync giving its place to its queued children ends well, before any failure handling');
    assert.equal(definition.States[STATE_NAMES.yielded]?.Type, 'Succeed');
    for (const phase of SYNC_PHASES) assert.equal(findState(phaseStateNames(phase).yield)?.Error, YIELD_ERROR, `${phase} can give its place back`);
    assert.equal(findState(phaseStateNames('SyncFail').yield), undefined, 'SyncFail never does: the failure is recorded first');
    const inside = new Set(allStates(trySync.Branches![0]).map(([name]) => name));
    for (const phase of SYNC_PHASES) assert.ok(inside.has(phaseStateNames(phase).apply));
    assert.ok(!inside.has('SyncFail'));
  });

  it('retries Lambda service errors with backoff and Lambda.Unknown a bounded number of times on every task', () => {
    const tasks = allStates(definition).filter(([, s]) => s.Type === 'Task');
    assert.equal(tasks.length, 4 * 2 + 2, 'apply and check per phase, two records: the lock is the writer\'s');
    for (const [name, task] of tasks) {
      const retry = task.Retry as Array<{ ErrorEquals: string[]; MaxAttempts: number; BackoffRate: number }>;
      assert.deepEqual(retry[0].ErrorEquals, LAMBDA_SERVICE_ERRORS, name);
      assert.ok(retry[0].BackoffRate > 1, name);
      assert.deepEqual(retry[1].ErrorEquals, ['Lambda.Unknown'], name);
      assert.ok(retry[1].MaxAttempts <= 3, name);
    }
  });

  it('passes only ids, keys and the fence to tasks, never a plan', () => {
    const apply = definition.States[STATE_NAMES.trySync].Branches![0].States['Sync: apply wave'];
    assert.deepEqual(Object.keys(apply.Parameters as object).sort(),
      ['app.$', 'cluster.$', 'fence.$', 'owner.$', 'phase', 'planKey.$', 'syncId.$'].sort());
    assert.equal((apply.Parameters as Record<string, string>)['owner.$'], '$.owner', 'the writer\'s lease, from the input');
  });
});

describe('sync state machine, run locally (aws-local-stepfunctions)', () => {
  it('walks PreSync → Sync → PostSync wave by wave, records the sync and releases the lock', async () => {
    const world = new SyncWorld();
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(world.applied, ['PreSync:0', 'Sync:1', 'Sync:2', 'PostSync:0']);
    assert.ok(world.checksOf('Sync:1') >= 2, 'the wave was checked again after a Wait');
    assert.ok(outcome.entered.includes('Sync: wait for wave'));
    assert.deepEqual(world.records.map((r) => r.outcome), ['Succeeded']);
    assert.equal(outcome.entered.at(-1), STATE_NAMES.succeeded);
  });

  it('ends succeeded, unrecorded and before any later wave, when a check gives the sync\'s place to its queued children', async () => {
    const world = new SyncWorld({ yieldAt: 'Sync:1' });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, undefined, 'the writer\'s Map sees a success: the sync stays queued for its next round');
    assert.deepEqual(world.applied, ['PreSync:0', 'Sync:1']);
    assert.deepEqual(world.records, [], 'not recorded: the operation goes on in the next run');
    assert.ok(!outcome.entered.includes('SyncFail'));
    assert.equal(outcome.entered.at(-1), STATE_NAMES.yielded);
    assert.ok(outcome.entered.includes(phaseStateNames('Sync').yield));
  });

  it('on a failed Sync wave runs SyncFail, records the failure, releases the lock, and applies no later wave', async () => {
    const world = new SyncWorld({ failAt: 'Sync:1' });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, 'gitwave.SyncFailed');
    assert.deepEqual(world.applied, ['PreSync:0', 'Sync:1', 'SyncFail:0']);
    assert.equal(world.records.length, 1);
    assert.equal(world.records[0].outcome, 'Failed');
    assert.equal(world.records[0].error?.Error, 'gitwave.WaveFailed');
    assert.equal(world.records[0].fence, 42);
    assert.ok(!outcome.entered.includes('PostSync'));
    // The state machine itself stops: no apply state is entered after the failed check.
    const failedAt = outcome.entered.indexOf('Sync: wave failed');
    assert.ok(failedAt > 0);
    assert.ok(!outcome.entered.slice(failedAt).some((name) => name.endsWith(': apply wave') && !name.startsWith('SyncFail')));
    assert.equal(outcome.entered.filter((name) => name === 'Sync: apply wave').length, 1);
  });

  it('treats a task that keeps failing like a failed wave: SyncFail, record, release', async () => {
    const world = new SyncWorld({ crashAt: { at: 'Sync:2', name: 'ClusterUnreachableError' } });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, 'gitwave.SyncFailed');
    assert.deepEqual(world.applied, ['PreSync:0', 'Sync:1', 'SyncFail:0']);
    assert.equal(world.records[0].error?.Error, 'ClusterUnreachableError');
  });

  it('retries a throttled Lambda invocation and carries on', async () => {
    const world = new SyncWorld({ crashAt: { at: 'PreSync:0', name: 'Lambda.TooManyRequestsException', times: 2 } });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(world.applied, ['PreSync:0', 'Sync:1', 'Sync:2', 'PostSync:0']);
  });

  it('re-runs a timed-out tick (Lambda.Unknown) a bounded number of times, then fails the sync', async () => {
    const world = new SyncWorld({ crashAt: { at: 'Sync:1', name: 'Lambda.Unknown' } });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, 'gitwave.SyncFailed');
    assert.equal(world.records[0].error?.Error, 'Lambda.Unknown');
    assert.equal(world.crashes, 3, 'first try plus two retries');
  });

  it('still records and releases when a SyncFail hook fails', async () => {
    const world = new SyncWorld({ failAt: 'PreSync:0', crashAt: { at: 'SyncFail:0', name: 'HookFailedError' } });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, 'gitwave.SyncFailed');
    assert.deepEqual(world.applied, ['PreSync:0']);
    assert.equal(world.records[0].outcome, 'Failed');
  });

  it('retries a failed attempt when the record task says so: waits, runs the phases again under the same lock, then records the success', async () => {
    const world = new SyncWorld({ failAt: 'Sync:1', failTimes: 1, retries: 5 });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, undefined);
    assert.deepEqual(world.applied, ['PreSync:0', 'Sync:1', 'SyncFail:0', 'PreSync:0', 'Sync:1', 'Sync:2', 'PostSync:0']);
    assert.deepEqual(world.records.map((r) => [r.outcome, r.error?.Error]), [['Failed', 'gitwave.WaveFailed'], ['Succeeded', undefined]]);
    assert.ok(world.records.every((r) => r.fence === 42), 'one lock, one fence for every attempt');
    const waited = outcome.entered.indexOf(STATE_NAMES.waitToRetry);
    assert.ok(waited > outcome.entered.indexOf(STATE_NAMES.recordFailure) && waited < outcome.entered.lastIndexOf(STATE_NAMES.trySync));
    assert.equal(outcome.entered.at(-1), STATE_NAMES.succeeded);
  });

  it('ends failed once the record task answers no retry, releasing the lock once', async () => {
    const world = new SyncWorld({ failAt: 'PreSync:0', retries: 2 });
    const outcome = await runSync(definition, world);
    assert.equal(outcome.error, 'gitwave.SyncFailed');
    assert.equal(world.records.length, 3);
    assert.equal(outcome.entered.filter((name) => name === STATE_NAMES.waitToRetry).length, 2);
  });
});

function findState(name: string): AslState | undefined {
  return allStates(definition).find(([n]) => n === name)?.[1];
}
