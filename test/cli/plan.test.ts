/**
 * `gitwave plan` end to end (issue 2 contract): the JSON step objects, generateName hook names from
 * `--revision` and `--started-at`, prune steps from `--live` (skipped when the Application does not
 * prune), the project check on hooks, the text table, and exit codes 0 / 1 / 2.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FIXTURE_REPO, configMap } from '../render/helpers.ts';
import { applicationYaml, gitwave, removeWorkingTrees, tempFile, workingTree } from './helpers.ts';

after(removeWorkingTrees);


const ORDERS_DEV = join(FIXTURE_REPO, 'api/orders/service/overlays/dev');
const STEP_FIELDS = ['phase', 'wave', 'group', 'kind', 'namespace', 'name', 'hook', 'action'];

describe('gitwave plan', { concurrency: 4 }, () => {
  it('plans the team\'s overlay: PreSync ConfigMap and migration Job, gRPC in wave 1, REST in wave 2', async () => {
    const app = tempFile('orders.yaml', applicationYaml({ name: 'orders-dev', namespace: 'orders-dev' }));
    const run = await gitwave(['plan', ORDERS_DEV, '--root', FIXTURE_REPO, '--app', app, '--revision', 'ABCDEF0123', '--started-at', '1700000000', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const { steps } = JSON.parse(run.stdout) as { steps: Array<Record<string, unknown>> };
    assert.ok(steps.every((s) => JSON.stringify(Object.keys(s)) === JSON.stringify(STEP_FIELDS)));
    assert.deepEqual(steps.map((s) => `${s.phase} ${s.wave} ${s.group}/${s.kind} ${s.namespace}/${s.name} ${s.hook}`), [
      'PreSync 0 /ConfigMap orders-dev/orders-migrate true',
      'PreSync 1 batch/Job orders-dev/orders-migrate-abcdef0-presync-1700000000 true',
      'Sync 1 /Service orders-dev/orders-grpc false',
      'Sync 1 apps/Deployment orders-dev/orders-grpc false',
      'Sync 2 /Service orders-dev/orders-rest false',
      'Sync 2 apps/Deployment orders-dev/orders-rest false',
    ]);
  });

  it('lists tracked live objects that are no longer desired as prune steps, skipped when the app does not prune', async () => {
    const root = workingTree({ 'app/cm.yaml': configMap('kept') });
    const tracked = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\n  annotations:\n    argocd.argoproj.io/tracking-id: guestbook:/ConfigMap:default/${name}\n`;
    const live = tempFile('live.yaml', `${tracked('old')}---\n${tracked('kept')}---\n${configMap('untracked', 'default')}`);
    const manual = tempFile('app.yaml', applicationYaml());
    const pruning = tempFile('app.yaml', applicationYaml({ syncPolicy: '  syncPolicy:\n    automated: { prune: true }\n' }));
    const [skipped, pruned] = await Promise.all([manual, pruning].map((app) => gitwave(['plan', join(root, 'app'), '--app', app, '--live', live, '-o', 'json'])));
    assert.equal(skipped.code, 0, skipped.stderr);
    const prune = (run: typeof skipped): unknown => JSON.parse(run.stdout).steps.filter((s: { action: string }) => s.action === 'prune');
    assert.deepEqual(prune(skipped), [{ phase: 'Sync', wave: 0, group: '', kind: 'ConfigMap', namespace: 'default', name: 'old', hook: false, action: 'prune', skipped: 'prune disabled' }]);
    assert.deepEqual(prune(pruned), [{ phase: 'Sync', wave: 0, group: '', kind: 'ConfigMap', namespace: 'default', name: 'old', hook: false, action: 'prune' }]);
  });

  it('prints a table grouped by phase and wave by default', async () => {
    const root = workingTree({ 'app/cm.yaml': configMap('a') });
    const run = await gitwave(['plan', join(root, 'app')]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Sync wave 0\n {2}apply +ConfigMap +default\/a\n$/);
  });

  it('refuses a PreSync hook in a namespace the project forbids (exit 1)', async () => {
    const root = workingTree({ 'app/hook.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pre\n  namespace: kube-system\n  annotations: { argocd.argoproj.io/hook: PreSync }\n' });
    const app = tempFile('app.yaml', applicationYaml({ project: 'team-a', namespace: 'team-a' }));
    const project = tempFile('project.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: { name: team-a }\nspec:\n  sourceRepos: ["*"]\n  destinations: [{ server: "*", namespace: team-a }]\n');
    const run = await gitwave(['plan', join(root, 'app'), '--app', app, '--project', project, '-o', 'json']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /namespace kube-system is not permitted in project "team-a"/);
    assert.ok(JSON.parse(run.stdout).errors.length > 0);
  });

  it('invalid input exits 1: a duplicate object, malformed --live, an Application in a project that denies its destination', async () => {
    const root = workingTree({ 'app/a.yaml': configMap('dup'), 'app/b.yaml': configMap('dup') });
    const good = workingTree({ 'app/cm.yaml': configMap('x') });
    const live = tempFile('live.yaml', 'kind: [\n');
    const app = tempFile('app.yaml', applicationYaml({ project: 'team-a', namespace: 'prod' }));
    const project = tempFile('project.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: { name: team-a }\nspec:\n  sourceRepos: ["*"]\n  destinations: [{ server: "*", namespace: dev }]\n');
    const runs = await Promise.all([
      gitwave(['plan', join(root, 'app')]),
      gitwave(['plan', join(good, 'app'), '--live', live]),
      gitwave(['plan', join(good, 'app'), '--app', app, '--project', project]),
    ]);
    assert.deepEqual(runs.map((r) => r.code), [1, 1, 1]);
    assert.match(runs[0].stderr, /app\/b\.yaml:1: ConfigMap dup is defined twice \(first at app\/a\.yaml:1\)/);
    assert.match(runs[1].stderr, /--live: .*live\.yaml:\d+: malformed YAML/);
    assert.match(runs[2].stderr, /Application\/guestbook: destination server https:\/\/kubernetes\.default\.svc, namespace prod is not permitted/);
  });

  it('usage errors exit 2', async () => {
    const runs = await Promise.all([
      gitwave(['plan', FIXTURE_REPO, '--revision', 'not-a-sha']),
      gitwave(['plan', FIXTURE_REPO, '--started-at', 'yesterday']),
      gitwave(['plan', FIXTURE_REPO, '-o', 'yaml']),
      gitwave(['plan']),
    ]);
    assert.deepEqual(runs.map((r) => r.code), [2, 2, 2, 2]);
  });
});
