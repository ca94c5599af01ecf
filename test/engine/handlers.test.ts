// The thin handlers (functions/{plan,lock,apply-wave,check-wave,record}.ts) through their middy stack,
// on ports plugged into the lazy runtime: inputs are checked against the contracts before anything is
// read, and a small sync runs end to end through the handlers alone.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Context } from 'aws-lambda';
import { setTimeout as sleep } from 'node:timers/promises';
import { CLUSTER, engineDeps, recordingExecutions, registerApp, useServers, writeRender } from './harness.ts';
import { configMap, deployment } from './manifests.ts';

process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
const { configureRuntime } = await import('../../shared/lambda/runtime.ts');
const plan = (await import('../../functions/plan.ts')).handler;
const lock = (await import('../../functions/lock.ts')).handler;
const applyWave = (await import('../../functions/apply-wave.ts')).handler;
const checkWave = (await import('../../functions/check-wave.ts')).handler;
const record = (await import('../../functions/record.ts')).handler;

const servers = useServers();
after(() => configureRuntime({}));
const context = {
  functionName: 'gitwave-test', functionVersion: '$LATEST', awsRequestId: 'req-1', memoryLimitInMB: '256',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:gitwave-test', logGroupName: '/aws/lambda/test',
  logStreamName: 's', callbackWaitsForEmptyEventLoop: true, getRemainingTimeInMillis: () => 10_000,
  done: () => undefined, fail: () => undefined, succeed: () => undefined,
} as unknown as Context;

describe('engine handlers', () => {
  it('refuse an input that does not match its contract, naming the field', async () => {
    await assert.rejects(lock({ action: 'acquire', cluster: 'dev', owner: 'x', attempt: 0 }, context), { name: 'TaskInputError', message: /field syncId/ });
    await assert.rejects(applyWave({ app: 'a', cluster: 'c', syncId: 's', planKey: '../etc/passwd', owner: 'o', fence: 1, phase: 'Sync' }, context), { name: 'TaskInputError', message: /field planKey/ });
    await assert.rejects(plan({ app: 'a', revision: 'main', renderKey: 'rendered/x.json', trigger: 'webhook' }, context), { name: 'TaskInputError', message: /field revision: must be a commit sha/ });
  });

  it('run a sync through plan, lock, apply-wave, check-wave and record', async () => {
    const s = servers();
    const executions = recordingExecutions();
    configureRuntime(engineDeps(s, { executions }));
    await registerApp(s, 'tiny', 'tiny');
    const revision = '0123456789abcdef0123456789abcdef01234567';
    const renderKey = await writeRender(s, revision, [configMap('settings'), deployment('app', 0)]);

    const planned = await plan({ app: 'tiny', revision, renderKey, trigger: 'webhook' }, context);
    assert.equal(planned.outcome, 'started');
    const { input } = executions.started[0];
    const owner = planned.executionArn!;
    const acquired = await lock({ action: 'acquire', cluster: CLUSTER, syncId: input.syncId, owner, attempt: 1 }, context);
    assert.ok('acquired' in acquired && acquired.acquired && acquired.attempt === 1);
    const base = { app: 'tiny', cluster: CLUSTER, syncId: input.syncId, planKey: input.planKey, owner, fence: acquired.fence! };
    for (const phase of ['PreSync', 'Sync', 'PostSync'] as const) {
      let tick = await applyWave({ ...base, phase }, context);
      for (let i = 0; tick.status !== 'phaseDone' && i < 1200; i++) {
        assert.notEqual(tick.status, 'failed', tick.message);
        if (tick.status === 'waveDone') tick = await applyWave({ ...base, phase }, context);
        else {
          await sleep(100);
          tick = await checkWave({ ...base, phase }, context);
        }
      }
    }
    assert.deepEqual(await record({ ...base, outcome: 'Succeeded' }, context), { recorded: true });
    assert.deepEqual(await lock({ action: 'release', cluster: CLUSTER, owner, fence: acquired.fence! }, context), { released: true });
    assert.deepEqual((await s.store.getStatus('tiny'))?.sync, { status: 'Synced', revision });
  });
});
