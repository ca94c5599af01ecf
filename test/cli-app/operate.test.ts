// `gitwave app|project|cluster` as a person runs them against one local runtime (the real command,
// a child process, non-TTY): every output format, exit codes, `sync --watch` (phases, waves, progress
// bar, the final sentence, exit 0/1), `app wait` (0 reached, 1 failed, 2 timed out), `app create -k`
// on the team's argocd_application/{base,overlays/dev} layout, `app delete` keeping or cascading,
// and `demo push --print-curl` sending nothing.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { parse } from 'yaml';
import { startE2E, waitFor, type E2E } from '../e2e/helpers/runtime.ts';
import { gitwave, removeWorkingTrees, tempFile, workingTree } from '../cli/helpers.ts';

const BASE_APP = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: catalog, namespace: argocd }
spec:
  project: shop
  source: { repoURL: https://github.com/gitwave-demo/platform-manifests.git, targetRevision: main, path: api/catalog/base }
  destination: { name: local, namespace: catalog }
`;
const PROJECT = `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: shop, namespace: argocd }
spec:
  description: the shop team
  sourceRepos: ["https://github.com/gitwave-demo/*"]
  destinations: [{ name: local, namespace: "*" }]
`;
const DEV_PATCH = `- op: replace
  path: /spec/source/path
  value: api/catalog/overlays/dev
- op: replace
  path: /spec/destination/namespace
  value: catalog-dev
`;

describe('gitwave app, project and cluster against the local runtime', () => {
  let e2e: E2E;
  let env: Record<string, string>;
  const run = (...args: string[]) => gitwave(args, { env });

  before(async () => {
    e2e = await startE2E();
    env = { GITWAVE_HOME: dirname(e2e.repo), NO_COLOR: '1' };
  });
  after(async () => {
    await e2e?.stop();
    removeWorkingTrees();
  });

  it('syncs with --watch: phases, waves, each hook and resource, a full progress bar, exit 0 on Synced+Healthy', async () => {
    const res = await run('app', 'sync', 'orders-dev', '--watch', '--timeout', '120s');
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.match(res.stdout, /^sync \S+ requested$/m);
    assert.match(res.stdout, /PreSync wave 1: Done \(1\/1\)/);
    assert.match(res.stdout, /hook Job\/orders-dev\/orders-migrate-\w+-presync-\d+: Succeeded/);
    assert.match(res.stdout, /Sync wave 2: Done \(2\/2\)/);
    assert.match(res.stdout, /Deployment\/orders-dev\/orders-rest: Synced, Healthy/);
    assert.match(res.stdout, /^\[#{20}\] 6\/6 waves$/m);
    assert.match(res.stdout, /^== synced [0-9a-f]{7}: 6 resources, 3 hooks$/m);
    assert.match(res.stdout, /orders-dev: Synced, Healthy, no operation running/);
    assert.ok(!res.stdout.includes('\u001b['), 'no escape codes when not a terminal');
    // appended, not redrawn: each line once
    const lines = res.stdout.split('\n').filter(Boolean);
    assert.equal(new Set(lines).size, lines.length);
  });

  it('syncs only the resources named with --resource (no hooks), and names a bad one', async () => {
    await e2e.kubectl('-n', 'orders-dev', 'patch', 'configmap', 'orders-config', '--type', 'merge', '-p', '{"data":{"LOG_LEVEL":"trace"}}');
    const res = await run('app', 'sync', 'orders-dev', '--resource', ':ConfigMap:orders-dev/orders-config', '-o', 'json');
    assert.equal(res.code, 0, res.stderr + res.stdout);
    assert.ok((JSON.parse(res.stdout) as { syncId: string }).syncId);
    const operation = await waitFor('the selective sync to finish', async () => {
      const [newest] = (await e2e.api('/api/applications/orders-dev/operations')).body as Array<{ phase: string; selective: boolean }>;
      return newest?.selective && newest.phase !== 'Running' ? newest : undefined;
    });
    assert.equal(operation.phase, 'Succeeded');
    assert.equal(await e2e.kubectl('-n', 'orders-dev', 'get', 'configmap', 'orders-config', '-o', 'jsonpath={.data.LOG_LEVEL}'), 'info');
    const bad = await run('app', 'sync', 'orders-dev', '--resource', 'ConfigMap/orders-config');
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--resource "ConfigMap\/orders-config": expected GROUP:KIND:NAME/);
    const unknown = await run('app', 'sync', 'orders-dev', '--resource', ':ConfigMap:orders-dev/nope');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /ConfigMap\/nope in namespace orders-dev is not a resource of orders-dev/);
  });

  it('prints app list and get as text, wide, json and yaml', async () => {
    const text = await run('app', 'list');
    assert.match(text.stdout, /^NAME\s+CLUSTER\s+NAMESPACE\s+SYNC/);
    assert.match(text.stdout, /orders-dev\s+local\s+orders-dev\s+Synced\s+Healthy/);
    const wide = await run('app', 'list', '-o', 'wide');
    assert.match(wide.stdout, /^PROJECT\s+NAME.*STARTED$/m);
    const json = JSON.parse((await run('app', 'get', 'orders-dev', '-o', 'json')).stdout);
    assert.equal(json.sync.status, 'Synced');
    assert.ok(json.resources.some((r: any) => r.kind === 'Deployment' && r.name === 'orders-grpc'));
    const yaml = parse((await run('app', 'get', 'orders-dev', '-o', 'yaml')).stdout);
    assert.deepEqual(yaml, json);
    assert.match((await run('app', 'get', 'orders-dev', '-o', 'wide')).stdout, /GROUP\s+KIND/);
    const bad = await run('app', 'list', '-o', 'xml');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--output must be one of text, wide, json, yaml, got xml/);
  });

  it('waits: 0 when reached, 2 on timeout, 1 for an unknown Application', async () => {
    const reached = await run('app', 'wait', 'orders-dev', '--health', '--sync');
    assert.equal(reached.code, 0, reached.stderr);
    assert.match(reached.stdout, /orders-dev: Synced, Healthy/);
    // orders-staging was never synced in this runtime: its health is not Healthy.
    const timedOut = await run('app', 'wait', 'orders-staging', '--health', '--timeout', '1s');
    assert.equal(timedOut.code, 2);
    assert.match(timedOut.stderr, /timed out after 1s: still waiting for Healthy/);
    const missing = await run('app', 'wait', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /404 application nope not found/);
  });

  it('registers projects and clusters and reads them back in every format', async () => {
    const created = await run('project', 'create', '-f', tempFile('shop.yaml', PROJECT));
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /AppProject\/shop registered/);
    const projects = JSON.parse((await run('project', 'list', '-o', 'json')).stdout);
    assert.deepEqual(projects.map((p: any) => p.name), ['default', 'shop']);
    assert.match((await run('project', 'get', 'shop')).stdout, /Description:\s+the shop team/);
    assert.match((await run('project', 'list', '-o', 'wide')).stdout, /DESTINATIONS/);
    const cluster = `apiVersion: gitwave.dev/v1alpha1\nkind: Cluster\nmetadata: { name: edge, labels: { env: staging } }\nspec:\n  kubeconfig: { context: gitwave-sim, path: ${e2e.rt.info.kubeconfig} }\n`;
    assert.equal((await run('cluster', 'add', '-f', tempFile('edge.yaml', cluster))).code, 0);
    const clusters = parse((await run('cluster', 'list', '-o', 'yaml')).stdout);
    assert.deepEqual(clusters.map((c: any) => [c.name, c.connection]), [['edge', 'kubeconfig'], ['local', 'kubeconfig']]);
    const local = await run('cluster', 'get', 'local');
    assert.match(local.stdout, /Labels:\s+env=dev \(one-off overrides allowed\)/);
    assert.match(local.stdout, /Applications: 2/);
    assert.doesNotMatch(local.stdout + JSON.stringify(clusters), /kubeconfig"?:\s*\{|\.kubeconfig|path/i);
    const unknown = await run('cluster', 'get', 'nope');
    assert.equal(unknown.code, 1);
  });

  it('app create -k registers every Application and AppProject of argocd_application/overlays/dev', async () => {
    const tree = workingTree({
      'argocd_application/base/kustomization.yaml': 'resources: [project.yaml, catalog.yaml]\n',
      'argocd_application/base/project.yaml': PROJECT,
      'argocd_application/base/catalog.yaml': BASE_APP,
      'argocd_application/overlays/dev/kustomization.yaml':
        'resources: [../../base]\nnameSuffix: -dev\npatches:\n  - path: dev.yaml\n    target: { kind: Application }\n',
      'argocd_application/overlays/dev/dev.yaml': DEV_PATCH,
    });
    const res = await gitwave(['app', 'create', '-k', 'argocd_application/overlays/dev', '-o', 'wide'], { cwd: tree, env });
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /AppProject\s+shop-dev\s+argocd_application\/overlays\/dev \(rendered from argocd_application\/base\/project\.yaml:1\)/);
    assert.match(res.stdout, /Application\s+catalog-dev/);
    const app = JSON.parse((await run('app', 'get', 'catalog-dev', '-o', 'json')).stdout);
    assert.equal(app.namespace, 'catalog-dev');
    assert.equal(app.project, 'shop');
  });

  it('app create -f refuses a bad document naming file, line, object and field, and registers nothing', async () => {
    const file = tempFile('apps.yaml', `${BASE_APP.replace('name: catalog', 'name: ok-one')}---\n${BASE_APP.replace('name: catalog', 'name: broken').replace('destination:', 'destinaton:')}`);
    const res = await run('app', 'create', '-f', file);
    assert.equal(res.code, 1);
    assert.match(res.stderr, /apps\.yaml:\d+.*Application\/broken.*destinat/);
    assert.equal((await run('app', 'get', 'ok-one')).code, 1, 'nothing registered');
    const unknownProject = await run('app', 'create', '-f', tempFile('p.yaml', BASE_APP.replace('project: shop', 'project: nowhere')));
    assert.equal(unknownProject.code, 1);
    assert.match(unknownProject.stderr, /p\.yaml:1: Application\/catalog: spec\.project: project "nowhere" is not registered \(400\)/);
  });

  it('fails a --watch with exit 1 and the sentence naming the failed hook', async () => {
    e2e.commit({
      'api/orders/service/base/migrate-job.yaml': (text) => text.replace('    argocd.argoproj.io/hook: PreSync', '    sim.gitwave.dev/outcome: fail\n    argocd.argoproj.io/hook: PreSync'),
    }, 'a migration that fails');
    const res = await run('app', 'sync', 'orders-staging', '--watch', '--timeout', '120s');
    assert.equal(res.code, 1, res.stdout);
    assert.match(res.stdout, /hook Job\/orders-staging\/orders-migrate-\S+: Failed/);
    assert.match(res.stdout, /^== Failed in PreSync wave 1: hook Job\/orders-migrate-\S+: /m);
    assert.match(res.stderr, /operation \S+ Failed/);
  });

  it('app delete keeps the objects by default and says so; --cascade deletes them in reverse wave order', async () => {
    const kept = await run('app', 'delete', 'catalog-dev');
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /application catalog-dev unregistered; its objects were kept in the cluster/);
    const cascade = await run('app', 'delete', 'orders-dev', '--cascade', '-o', 'json');
    assert.equal(cascade.code, 0, cascade.stderr);
    const answer = JSON.parse(cascade.stdout);
    assert.equal(answer.cascade, true);
    const waves = answer.deleted.map((d: any) => d.wave);
    assert.deepEqual(waves, [...waves].sort((a: number, b: number) => b - a), 'reverse wave order');
    assert.ok(answer.deleted.some((d: any) => d.kind === 'Deployment' && d.name === 'orders-rest'));
    assert.equal((await e2e.kubectl('get', 'deploy', '-n', 'orders-dev', '-o', 'name')).trim(), '');
    assert.equal((await run('app', 'get', 'orders-dev')).code, 1);
  });

  it('demo push --print-curl prints the signed command and sends nothing', async () => {
    const head = e2e.head();
    const res = await run('demo', 'push', '--print-curl');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^curl -X POST 'http:\/\/127\.0\.0\.1:\d+\/webhooks\/github'/);
    assert.match(res.stdout, /x-hub-signature-256: sha256=[0-9a-f]{64}/);
    const delivery = /x-github-delivery: ([0-9a-f-]{36})/.exec(res.stdout)![1];
    assert.equal(e2e.head(), head, 'no commit');
    assert.equal(await e2e.store.isDuplicateDelivery(delivery), false, 'no delivery arrived');
  });
});
