/**
 * `gitwave lint` end to end: the JSON findings shape, the GitHub annotations, the policy file found at
 * the root, schemas from `--schemas` or GITWAVE_SCHEMAS, project restrictions, and exit codes 0 (no
 * error finding), 1 (error findings, malformed YAML included), 2 (usage or unreadable input).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FIXTURE_REPO } from '../render/helpers.ts';
import { applicationYaml, gitwave, removeWorkingTrees, SCHEMAS, tempFile, workingTree } from './helpers.ts';

after(removeWorkingTrees);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: two
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:latest
`;


const FIELDS = ['rule', 'severity', 'file', 'line', 'kind', 'namespace', 'name', 'message', 'fix'];

describe('gitwave lint', { concurrency: 4 }, () => {
  it('the fixture repository is clean with its own policy and the v1.32 schemas (exit 0)', async () => {
    const run = await gitwave(['lint', 'api/orders/service/overlays/prod', '--root', '.', '--schemas', SCHEMAS, '-o', 'json'], { cwd: FIXTURE_REPO });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), []);
  });

  it('-o json: an array of findings with the contract fields; exit 1 on error findings', async () => {
    const root = workingTree({ 'app/web.yaml': DEPLOYMENT });
    const run = await gitwave(['lint', join(root, 'app'), '-o', 'json'], { env: { GITWAVE_SCHEMAS: SCHEMAS } });
    assert.equal(run.code, 1);
    const findings = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    assert.ok(findings.every((f) => JSON.stringify(Object.keys(f)) === JSON.stringify(FIELDS)));
    assert.deepEqual(findings.map((f) => f.rule), ['schema', 'container-resources', 'readiness-probe', 'image-pinned']);
    assert.deepEqual(findings[0], {
      rule: 'schema', severity: 'error', file: 'app/web.yaml', line: 1, kind: 'Deployment', namespace: null, name: 'web',
      message: 'spec.replicas: must be an integer', fix: 'use an integer',
    });
  });

  it('gitwave-lint.yaml at the root configures the rules; warnings alone exit 0', async () => {
    const root = workingTree({
      'app/web.yaml': DEPLOYMENT.replace('replicas: two', 'replicas: 2'),
      'gitwave-lint.yaml': 'rules:\n  container-resources: { severity: warning }\n  readiness-probe: { severity: warning }\n  image-pinned: { enabled: false }\n',
    });
    const run = await gitwave(['lint', join(root, 'app')]);
    assert.equal(run.code, 0, run.stdout);
    assert.match(run.stdout, /^app\/web\.yaml:1: warning \[container-resources\] Deployment web: /m);
    assert.match(run.stdout, /0 errors, 2 warnings\n$/);
    assert.match(run.stderr, /strict schema validation is off \(no --schemas and no GITWAVE_SCHEMAS\)/);
  });

  it('-o github prints workflow annotations on the right file and line', async () => {
    const root = workingTree({ 'app/web.yaml': `# web\n${DEPLOYMENT.replace('replicas: two', 'replicas: 2')}` });
    const run = await gitwave(['lint', join(root, 'app'), '-o', 'github']);
    assert.equal(run.code, 1);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 3);
    assert.ok(lines.every((l) => l.startsWith('::error file=app/web.yaml,line=2,title=gitwave lint%3A ')), run.stdout);
  });

  it('malformed YAML is an error finding with file and line (exit 1)', async () => {
    const root = workingTree({ 'app/bad.yaml': 'kind: "ConfigMap\n' });
    const run = await gitwave(['lint', join(root, 'app'), '-o', 'json']);
    assert.equal(run.code, 1);
    const [finding] = JSON.parse(run.stdout);
    assert.deepEqual([finding.rule, finding.file, finding.line], ['render', 'app/bad.yaml', 2]);
    assert.match(finding.message, /^malformed YAML: missing closing "quote/);
  });

  it('checks the AppProject on every object, hooks included (--app, --project)', async () => {
    const hook = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: pre\n  namespace: kube-system\n  annotations: { argocd.argoproj.io/hook: PreSync }\n';
    const root = workingTree({ 'app/hook.yaml': hook });
    const app = tempFile('app.yaml', applicationYaml({ project: 'team-a', namespace: 'team-a' }));
    const project = tempFile('project.yaml', 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata: { name: team-a }\nspec:\n  sourceRepos: ["*"]\n  destinations: [{ server: "*", namespace: team-a }]\n');
    const run = await gitwave(['lint', join(root, 'app'), '--app', app, '--project', project, '-o', 'json']);
    assert.equal(run.code, 1);
    const findings = JSON.parse(run.stdout);
    assert.deepEqual(findings.map((f: { rule: string; name: string; namespace: string }) => `${f.rule} ${f.namespace}/${f.name}`), ['project kube-system/pre']);
  });

  it('usage and unreadable input exit 2', async () => {
    const root = workingTree({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' });
    const policy = tempFile('policy.yaml', 'rules:\n  no-such-rule: {}\n');
    const runs = await Promise.all([
      gitwave(['lint', join(root, 'app'), '-o', 'xml']),
      gitwave(['lint', join(root, 'app'), '--schemas', '/nonexistent']),
      gitwave(['lint', join(root, 'missing')]),
      gitwave(['lint', join(root, 'app'), '--policy', policy]),
      gitwave(['lint', join(root, 'app'), '--project', '/nonexistent/project.yaml']),
    ]);
    assert.deepEqual(runs.map((r) => r.code), [2, 2, 2, 2, 2], runs.map((r) => r.stderr).join(''));
    assert.match(runs[3].stderr, /policy\.yaml: rules\.no-such-rule: unknown rule/);
  });

  it('a clean folder prints "no findings" and exits 0', async () => {
    const root = workingTree({ 'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}\n' });
    writeFileSync(join(root, 'app/notes.md'), 'not a manifest');
    const run = await gitwave(['lint', join(root, 'app'), '--schemas', SCHEMAS]);
    assert.deepEqual([run.code, run.stdout], [0, 'no findings\n']);
  });
});
