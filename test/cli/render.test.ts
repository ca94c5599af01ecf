/**
 * `gitwave render` end to end: the YAML stream equals the renderer's objects, `--app` source options
 * apply, the default root is the Git top level, and exit codes 0 / 1 (invalid or refused input,
 * named with file and line) / 2 (usage). Symlinks in a working tree are refused like in a checkout
 * (SECURITY.md §7 row 21), without leaking the target.
 */
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Renderer } from '../../shared/render/index.ts';
import { configMap, FIXTURE_REPO } from '../render/helpers.ts';
import { applicationYaml, gitwave, removeWorkingTrees, tempFile, workingTree } from './helpers.ts';

after(removeWorkingTrees);


describe('gitwave render', { concurrency: 4 }, () => {
  it('renders kustomize helmCharts only with --project naming an AppProject that allows them', async () => {
    const root = workingTree({
      'addons/kustomization.yaml': 'helmCharts:\n  - name: hello\n    releaseName: hi\n',
      'addons/charts/hello/Chart.yaml': 'apiVersion: v2\nname: hello\nversion: 0.1.0\n',
      'addons/charts/hello/values.yaml': 'greeting: hello\n',
      'addons/charts/hello/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: "{{ .Release.Name }}-greeting"}\ndata: {text: "{{ .Values.greeting }}"}\n',
    });
    const refused = await gitwave(['render', join(root, 'addons')]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /addons\/kustomization\.yaml:1: helmCharts is refused: no AppProject allows it here/);
    const project = (annotations: string) => tempFile('project.yaml', `apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: addons\n${annotations}spec:\n  sourceRepos: ['*']\n  destinations: [{server: '*', namespace: '*'}]\n`);
    const closed = await gitwave(['render', join(root, 'addons'), '--project', project('')]);
    assert.match(closed.stderr, /helmCharts is refused: project "addons" does not allow it/);
    const open = await gitwave(['render', join(root, 'addons'), '--project', project('  annotations: {gitwave.dev/kustomize-helm: "true"}\n')]);
    assert.equal(open.code, 0, open.stderr);
    assert.deepEqual(parseAllDocuments(open.stdout).map((d) => d.toJS()), [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'hi-greeting' }, data: { text: 'hello' } }]);
  });

  it('prints the rendered objects as a YAML stream, equal as data to the renderer', async () => {
    const path = 'api/orders/service/overlays/prod';
    const run = await gitwave(['render', join(FIXTURE_REPO, path), '--root', FIXTURE_REPO]);
    assert.equal(run.code, 0, run.stderr);
    const printed = parseAllDocuments(run.stdout).map((d) => d.toJS());
    const { objects } = await new Renderer().render({ root: FIXTURE_REPO, path });
    assert.deepEqual(printed, objects.map((o) => o.object));
  });

  it('applies the Application source options (--app)', async () => {
    const app = tempFile('app.yaml', applicationYaml({ source: '    kustomize:\n      namePrefix: staging-\n      images: ["registry.example.com/orders/rest:9.9.9"]\n' }));
    const run = await gitwave(['render', 'api/orders/service/overlays/dev', '--app', app], { cwd: FIXTURE_REPO });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /name: staging-orders-rest/);
    assert.match(run.stdout, /image: registry\.example\.com\/orders\/rest:9\.9\.9/);
  });

  it('uses the Git top level containing <path> as the default root', async () => {
    const root = workingTree({ 'base/cm.yaml': configMap('base'), 'base/kustomization.yaml': 'resources: [cm.yaml]\n', 'apps/dev/kustomization.yaml': 'resources: [../../base]\n' });
    const run = await gitwave(['render', join(root, 'apps/dev')], { cwd: '/' });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /name: base/);
  });

  it('refuses a base outside --root (exit 1, file and line named)', async () => {
    const root = workingTree({ 'base/cm.yaml': configMap('base'), 'base/kustomization.yaml': 'resources: [cm.yaml]\n', 'apps/dev/kustomization.yaml': 'resources:\n  - ../../base\n' });
    const run = await gitwave(['render', join(root, 'apps/dev'), '--root', join(root, 'apps')]);
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'gitwave: dev/kustomization.yaml:2: path "../../base" leaves the root\n');
  });

  it('malformed YAML: exit 1 with file and line', async () => {
    const root = workingTree({ 'app/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n' });
    const run = await gitwave(['render', join(root, 'app')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^gitwave: app\/bad\.yaml:4: malformed YAML: tabs are not allowed as indentation\n$/);
    assert.equal(run.stdout, '');
  });

  it('a working-tree symlink to /proc/self/environ: exit 1, nothing of the target printed', async () => {
    const root = workingTree({ 'app/cm.yaml': configMap('cm') });
    symlinkSync('/proc/self/environ', join(root, 'app/env.yaml'));
    const secret = `gitwave-secret-${process.pid}`;
    const run = await gitwave(['render', join(root, 'app')], { env: { AWS_SESSION_TOKEN: secret } });
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'gitwave: app/env.yaml: symlink points outside the root: refused\n');
    assert.equal(run.stdout.includes(secret) || run.stderr.includes(secret), false);
    assert.equal(readFileSync(join(root, 'app/cm.yaml'), 'utf8'), configMap('cm'));
  });

  it('a path outside --root is refused (exit 1)', async () => {
    const root = workingTree({ 'a/cm.yaml': configMap('a'), 'b/cm.yaml': configMap('b') });
    const run = await gitwave(['render', join(root, 'b'), '--root', join(root, 'a')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /is outside the root/);
  });

  it('usage errors exit 2: no path, an unknown option, an unreadable --app', async () => {
    const runs = await Promise.all([
      gitwave(['render']),
      gitwave(['render', '.', '--frobnicate']),
      gitwave(['render', '.', '--app', '/nonexistent/app.yaml']),
    ]);
    assert.deepEqual(runs.map((r) => r.code), [2, 2, 2]);
    assert.match(runs[2].stderr, /--app \/nonexistent\/app\.yaml: cannot be read/);
  });

  it('an invalid Application is invalid input (exit 1) naming the file and field', async () => {
    const app = tempFile('bad-app.yaml', applicationYaml({ source: '    helm: { passCredentials: true }\n' }));
    const run = await gitwave(['render', FIXTURE_REPO, '--app', app]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /bad-app\.yaml:\d+: Application\/guestbook: spec\.source\.helm\.passCredentials: passing credentials to chart repositories is refused/);
  });
});
