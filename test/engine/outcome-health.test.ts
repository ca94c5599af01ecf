// A one-wave sync succeeds right after its applies (SPEC-sync §1.7: the final wave does not wait for
// health), so the last tick looked before the objects existed. The status must not then report the
// objects it just applied as Missing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { driveSync } from './driver.ts';
import { engineDeps, recordingExecutions, registerApp, useServers, writeRender } from './harness.ts';
import { configMap, deployment } from './manifests.ts';

const servers = useServers();
const REV = '0c7c000000000000000000000000000000000001';

type Row = { kind: string; name: string; health: { status: string | null } };

describe('the status after a one-wave sync', () => {
  it('shows what it applied as Progressing (health check) or without health, never Missing', async () => {
    const s = servers();
    await registerApp(s, 'fresh', 'fresh', true);
    const renderKey = await writeRender(s, REV, [configMap('settings'), deployment('api', 1)]);
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    const planned = await runPlan(deps, { app: 'fresh', revision: REV, renderKey, trigger: 'webhook' });
    assert.equal((await driveSync(deps, deps.executions.started[0].input, planned.executionArn!)).error, undefined);
    const status = await s.store.getStatus('fresh');
    const rows = status?.resources as Row[];
    // The check right after the apply (issue 9: no fixed sleeps) may already see the rollout done.
    assert.ok(['Progressing', 'Healthy'].includes(rows.find((r) => r.name === 'api')?.health.status ?? 'Missing'), JSON.stringify(rows));
    assert.equal(rows.find((r) => r.name === 'settings')?.health.status, null);
    assert.notEqual(status?.health?.status, 'Missing');
  });
});
