// End to end on the local runtime: prune (auto-sync with prune deletes what left Git, in reverse
// wave order) and a failing PreSync migration Job (nothing of the Sync phase applied, the SyncFail
// hook runs, the Application Failed naming the Job, the last good revision in history, the lock free).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, APPS, type E2E } from './helpers/runtime.ts';
import { annotate, auditKey, BASE, FILES, jobDuration, kustomizeResource, setImage } from './helpers/sample.ts';

const EXTRAS = `# Two objects in different waves, to be removed from Git again.
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-extra-early
  annotations:
    argocd.argoproj.io/sync-wave: "1"
data: { role: early }
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: orders-extra-late
  annotations:
    argocd.argoproj.io/sync-wave: "3"
data: { role: late }
`;

const SYNC_FAIL_HOOK = `# Runs only when the sync fails: tells the team.
apiVersion: batch/v1
kind: Job
metadata:
  generateName: orders-failed-
  annotations:
    argocd.argoproj.io/hook: SyncFail
    sim.gitwave.dev/duration: "0.1"
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: notify
          image: ghcr.io/gitwave-demo/notify:1.0.0
          resources:
            requests: { cpu: 10m, memory: 16Mi }
            limits: { memory: 32Mi }
`;

const SYNC_PHASE_OBJECTS = ['ConfigMap/orders-config', 'Service/orders-grpc', 'Deployment/orders-grpc', 'Service/orders-rest', 'Deployment/orders-rest'];

describe('prune and a failing migration, on the local runtime', () => {
  let e2e: E2E;
  let good: string;
  before(async () => {
    e2e = await startE2E();
    good = e2e.commit({ ...jobDuration(0.1), [`${BASE}/extras.yaml`]: EXTRAS, [FILES.kustomization]: kustomizeResource('extras.yaml', true) }, 'extras');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) assert.equal((await e2e.finished(app, good)).operationState?.phase, 'Succeeded');
  });
  after(async () => e2e?.stop());

  it('a manifest removed from Git is deleted from the cluster, in reverse wave order', async () => {
    assert.match(await e2e.kubectl('-n', 'orders-dev', 'get', 'configmaps', '-o', 'name'), /orders-extra-late/);
    const before = e2e.writes().length;
    good = e2e.commit({ [`${BASE}/extras.yaml`]: null, [FILES.kustomization]: kustomizeResource('extras.yaml', false) }, 'drop extras');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) {
      const status = await e2e.finished(app, good);
      assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);
      assert.equal(status.sync?.status, 'Synced');
      const names = await e2e.kubectl('-n', app, 'get', 'configmaps', '-o', 'name');
      assert.doesNotMatch(names, /orders-extra-/);
      assert.match(names, /orders-config/, 'what stays in Git stays live');
      const deletes = e2e.writes().slice(before).filter((w) => w.namespace === app && w.verb === 'delete');
      const order = deletes.map(auditKey).filter((k) => k.startsWith('ConfigMap/orders-extra'));
      assert.deepEqual(order, ['ConfigMap/orders-extra-late', 'ConfigMap/orders-extra-early']);
    }
  });

  it('a failing migration Job: nothing of the Sync phase applied, SyncFail hook run, Failed naming the Job, OutOfSync at it, last good revision in history, lock free', async () => {
    const before = e2e.writes().length;
    const bad = e2e.commit({
      [FILES.migrate]: annotate('Job', { 'sim.gitwave.dev/outcome': 'fail' }),
      [`${BASE}/syncfail-job.yaml`]: SYNC_FAIL_HOOK,
      [FILES.kustomization]: kustomizeResource('syncfail-job.yaml', true),
      [FILES.rest]: setImage('ghcr.io/gitwave-demo/orders-rest:2.0.0'),
      [FILES.config]: (text) => text.replace('LOG_LEVEL: info', 'LOG_LEVEL: trace'),
    }, 'migration that fails');
    assert.equal((await e2e.push()).status, 202);
    for (const app of APPS) {
      const status = await e2e.finished(app, bad);
      const op = status.operationState!;
      assert.equal(op.phase, 'Failed', op.message);
      assert.match(op.message ?? '', /orders-migrate-/, 'the message names the Job');
      assert.deepEqual(status.sync, { status: 'OutOfSync', revision: bad }, 'the status compares against the failed commit (SPEC-sync §5.1)');
      assert.equal((await e2e.store.listHistory(app)).at(-1)?.revision, good, 'history ends on the good revision');

      const writes = e2e.writes().slice(before).filter((w) => w.namespace === app);
      const keys = writes.map(auditKey);
      assert.ok(keys.includes('Job/orders-migrate-*'), 'the migration ran');
      assert.ok(keys.includes('Job/orders-failed-*'), `the SyncFail hook ran:\n${keys.join('\n')}`);
      assert.deepEqual(keys.filter((k) => SYNC_PHASE_OBJECTS.includes(k) || k === 'Job/orders-smoke-*'), [], 'nothing of the Sync or PostSync phase was applied');
      const image = await e2e.kubectl('-n', app, 'get', 'deployment', 'orders-rest', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
      assert.equal(image, 'ghcr.io/gitwave-demo/orders-rest:1.4.0');
    }
    assert.equal(await e2e.lockHeld(), false);
  });
});
