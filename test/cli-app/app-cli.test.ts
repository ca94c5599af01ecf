// `gitwave app` and `gitwave demo`: finding the API, failing clearly without one, the tables people
// read, and a demo push payload that the webhook's own parser accepts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatAppTable, formatAppDetail, type AppDetail } from '../../cli/format-app.ts';
import { pushPayload } from '../../cli/commands/demo.ts';
import { readPushEvent } from '../../shared/webhook/push.ts';

const sha = 'a'.repeat(40);
const app: AppDetail = {
  name: 'orders-dev', project: 'default', cluster: 'local', namespace: 'orders-dev',
  sync: { status: 'Synced', revision: sha }, health: { status: 'Healthy' },
  operation: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-11-27T10:00:00Z', finishedAt: '2026-11-27T10:00:09Z' },
  resources: [{ group: 'apps', kind: 'Deployment', namespace: 'orders-dev', name: 'orders-rest', phase: 'Sync', wave: 2, hook: false, sync: { status: 'Synced' }, health: { status: 'Healthy' } }],
};

describe('gitwave app', () => {
  it('says how to start a local runtime when none is running', () => {
    const home = mkdtempSync(join(tmpdir(), 'gitwave-home-'));
    try {
      const run = spawnSync(process.execPath, ['cli/bin.js', 'app', 'list'], { encoding: 'utf8', env: { ...process.env, GITWAVE_HOME: home, GITWAVE_ENDPOINT: '' } });
      assert.equal(run.status, 1);
      assert.match(run.stderr, /no local gitwave is running .*npm start/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('reports an unreachable endpoint by name', () => {
    const run = spawnSync(process.execPath, ['cli/bin.js', 'app', 'list', '--endpoint', 'http://127.0.0.1:9'], { encoding: 'utf8' });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /cannot reach the gitwave API at http:\/\/127\.0\.0\.1:9/);
  });

  it('prints a table with short revisions and a detail view with resources', () => {
    const listing = formatAppTable([app]);
    assert.match(listing, /^NAME\s+CLUSTER/);
    assert.match(listing, /orders-dev\s+local\s+orders-dev\s+Synced\s+Healthy\s+aaaaaaa/);
    const detail = formatAppDetail(app);
    assert.match(detail, /Sync\s+2\s+Deployment\s+orders-dev\s+orders-rest\s+Synced\s+Healthy/);
  });

  it('builds demo push payloads that the webhook accepts for the exact branch', () => {
    const payload = pushPayload('https://github.com/gitwave-demo/platform-manifests.git', 'main', 'b'.repeat(40), sha, 'demo');
    const push = readPushEvent(JSON.parse(JSON.stringify(payload)));
    assert.equal(push.ref, 'refs/heads/main');
    assert.equal(push.sha, sha);
    assert.deepEqual(push.repositoryKeys, ['github.com/gitwave-demo/platform-manifests']);
  });
});
