// `npm start` end to end, as a newcomer meets it: `gitwave start` in its own process group on a
// fresh home deploys the sample by itself, publishes local.json (0600) and the facts on stdout (the
// webhook secret there only), `gitwave demo push` rolls a commit out, `gitwave app list/get -o json`
// answer in the exact issue 6 shapes, SIGTERM ends every process and removes local.json, and a
// restart keeps Applications and history.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { gitwave } from '../cli/helpers.ts';
import { startGitwave, stopGitwave, type Started } from './helpers/process.ts';
import { waitFor, APPS } from './helpers/runtime.ts';
import { git } from '../../local/sample-repo/create.ts';

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const SUMMARY_KEYS = ['cluster', 'health', 'name', 'namespace', 'operation', 'project', 'sync'];
const RESOURCE_KEYS = ['group', 'health', 'hook', 'kind', 'name', 'namespace', 'phase', 'sync', 'wave'];

describe('gitwave start, demo push and app get, as a newcomer runs them', () => {
  const home = mkdtempSync(join(tmpdir(), 'gitwave-start-'));
  const env = { GITWAVE_HOME: home };
  const localJson = join(home, 'local.json');
  let running: Started | undefined;
  const appJson = async (name: string) => {
    const run = await gitwave(['app', 'get', name, '-o', 'json'], { env });
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  // Polled over HTTP: a `gitwave app get` per poll costs a node start (about 0.6 s of CPU) each time;
  // the CLI's own answer is checked once the state is reached.
  const apiJson = async (name: string) => {
    const { api } = JSON.parse(readFileSync(localJson, 'utf8'));
    const res = await fetch(`${api}/api/applications/${encodeURIComponent(name)}`);
    assert.equal(res.status, 200, `GET ${name}: ${res.status}`);
    return await res.json() as Record<string, any>;
  };
  const syncedAt = (name: string, revision: string) => waitFor(`${name} Synced at ${revision.slice(0, 7)}`, async () => {
    const app = await apiJson(name);
    return app.sync.status === 'Synced' && app.sync.revision === revision && app.operation?.phase === 'Succeeded' ? app : undefined;
  });

  before(async () => {
    running = startGitwave(home);
    await waitFor('local.json', async () => existsSync(localJson) || (running!.child.exitCode !== null && Promise.reject(new Error(running!.stderr()))), 120_000);
  });
  after(async () => {
    if (running && running.child.exitCode === null) await stopGitwave(running);
    rmSync(home, { recursive: true, force: true });
  });

  it('publishes local.json (0600) and the facts once on stdout; the webhook secret appears nowhere else', async () => {
    assert.equal(statSync(localJson).mode & 0o777, 0o600);
    const info = JSON.parse(readFileSync(localJson, 'utf8'));
    assert.deepEqual(Object.keys(info).sort(), ['api', 'dashboard', 'kubeconfig', 'sampleBranch', 'sampleRepo', 'sampleRepoUrl', 'webhook', 'webhookSecret']);
    assert.equal(info.webhook, `${info.api}/webhooks/github`);
    assert.match(info.sampleRepoUrl, /^https:\/\/github\.com\/[^/]+\/[^/]+\.git$/);
    await waitFor('the facts on stdout', async () => running!.stdout().includes(info.api));
    assert.equal(running!.stdout().split(info.webhookSecret).length - 1, 1, 'the secret is printed once');
    assert.ok(!running!.stderr().includes(info.webhookSecret), 'never in the logs');
  });

  it('deploys the sample without a push, then rolls out `gitwave demo push`; app list/get answer in the issue 6 shapes', async () => {
    const info = JSON.parse(readFileSync(localJson, 'utf8'));
    const initial = git(info.sampleRepo, 'rev-parse', 'HEAD');
    for (const app of APPS) await syncedAt(app, initial);

    const push = await gitwave(['demo', 'push', '-m', 'demo: release 1'], { env });
    assert.equal(push.code, 0, push.stderr);
    const head = git(info.sampleRepo, 'rev-parse', 'HEAD');
    assert.notEqual(head, initial);
    await syncedAt('orders-dev', head);
    await syncedAt('orders-staging', head);
    const detail = await appJson('orders-dev');

    const list = await gitwave(['app', 'list', '-o', 'json'], { env });
    assert.equal(list.code, 0, list.stderr);
    const apps = JSON.parse(list.stdout) as Array<Record<string, any>>;
    assert.deepEqual(apps.map((a) => a.name).sort(), [...APPS]);
    for (const app of apps) {
      assert.deepEqual(Object.keys(app).sort(), SUMMARY_KEYS);
      assert.deepEqual(app.sync, { status: 'Synced', revision: head });
      assert.deepEqual(app.health, { status: 'Healthy' });
      assert.equal(app.cluster, 'local');
      assert.equal(app.project, 'default');
      assert.equal(app.namespace, app.name);
      assert.deepEqual(Object.keys(app.operation).sort(), ['finishedAt', 'message', 'phase', 'startedAt']);
      assert.match(app.operation.startedAt, RFC3339);
      assert.match(app.operation.finishedAt, RFC3339);
    }
    assert.deepEqual(Object.keys(detail).sort(), [...SUMMARY_KEYS, 'resources'].sort());
    for (const row of detail.resources) {
      assert.deepEqual(Object.keys(row).sort(), RESOURCE_KEYS);
      assert.deepEqual(Object.keys(row.sync), ['status']);
      assert.deepEqual(Object.keys(row.health).sort(), ['message', 'status']);
    }
    const rest = detail.resources.find((r: any) => r.kind === 'Deployment' && r.name === 'orders-rest');
    assert.deepEqual(rest, { group: 'apps', kind: 'Deployment', namespace: 'orders-dev', name: 'orders-rest', phase: 'Sync', wave: 2, hook: false, sync: { status: 'Synced' }, health: { status: 'Healthy', message: null } });

    const { stdout } = await promisify(execFile)('kubectl', ['--kubeconfig', info.kubeconfig, '-n', 'orders-dev', 'get', 'deployment', 'orders-rest', '-o', 'jsonpath={.spec.template.metadata.annotations.demo\\.gitwave\\.dev/release}']);
    assert.equal(stdout, '1', 'the demo release reached the cluster');
  });

  it('SIGTERM ends every process and removes local.json; a restart keeps Applications and history', async () => {
    const before = await appJson('orders-dev');
    const history = await gitwave(['app', 'history', 'orders-dev', '-o', 'json'], { env });
    assert.equal(history.code, 0, history.stderr);
    const entries = JSON.parse(history.stdout) as unknown[];
    assert.ok(entries.length >= 2);

    assert.equal(await stopGitwave(running!), 0);
    assert.equal(existsSync(localJson), false);
    writeFileSync(localJson, '{"api":"http://127.0.0.1:1"}'); // left over from a crash: replaced at start

    running = startGitwave(home);
    await waitFor('local.json of the restart', async () => existsSync(localJson) && JSON.parse(readFileSync(localJson, 'utf8')).webhook !== undefined, 120_000);
    const after = await appJson('orders-dev');
    assert.equal(after.sync.revision, before.sync.revision);
    const again = await gitwave(['app', 'history', 'orders-dev', '-o', 'json'], { env });
    assert.deepEqual(JSON.parse(again.stdout).slice(-entries.length), entries, 'history kept (newest first)');
    // The simulator keeps no state across restarts: the first sweep finds the objects missing and auto-sync puts them back.
    await syncedAt('orders-dev', before.sync.revision);
    assert.equal(await stopGitwave(running!), 0);
  });
});
