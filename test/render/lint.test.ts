/**
 * `lintObjects` end to end on rendered objects: the fixture repository passes its own policy; a
 * repository with mistakes gets one finding per mistake (schema, rules, project restrictions on
 * every object, hooks included), configured per repository; render errors become findings; and the
 * three output formats.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { parseAppProject } from '../../shared/model/appproject.ts';
import { Renderer, RenderError, type RenderedObject } from '../../shared/render/index.ts';
import {
  defaultLintConfig, formatFindings, lintObjects, LintConfigError, parseLintConfig, renderFindings, SchemaValidator, type Finding,
} from '../../shared/render/lint/index.ts';
import { FIXTURE_REPO, makeTree, removeTree } from './helpers.ts';
import { K8S_SCHEMAS } from '../helpers/shared-data.ts';

let schemas: SchemaValidator;
before(async () => {
  schemas = await SchemaValidator.open(K8S_SCHEMAS);
});

async function renderTree(files: Record<string, string>, path = 'app'): Promise<RenderedObject[]> {
  const root = makeTree(files);
  try {
    return (await new Renderer().render({ root, path })).objects;
  } finally {
    removeTree(root);
  }
}

const BAD_APP = {
  'app/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "2"
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx
          imagePullPolicyy: Always
`,
  'app/migrate.yaml': `# a hook, checked like every other object
apiVersion: batch/v1
kind: Job
metadata:
  generateName: migrate-
  namespace: kube-system
  annotations:
    argocd.argoproj.io/hook: PreSync
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: tools/migrate:1.0.0
          resources: { requests: { cpu: 10m, memory: 16Mi }, limits: { memory: 32Mi } }
`,
  'app/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n',
};

const PROJECT = parseAppProject(`apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: team-a, namespace: argocd }
spec:
  sourceRepos: ['https://github.com/org/*']
  destinations:
    - { server: https://kubernetes.default.svc, namespace: 'team-a-*' }
`, 'project.yaml');

const summary = (findings: readonly Finding[]): string[] => findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.kind}/${f.name}: ${f.message}`);

describe('lintObjects', () => {
  it('the fixture repository passes with its own gitwave-lint.yaml, schemas on', async () => {
    const config = parseLintConfig(readFileSync(join(FIXTURE_REPO, 'gitwave-lint.yaml'), 'utf8'), 'gitwave-lint.yaml');
    for (const path of ['api/orders/service/overlays/dev', 'api/orders/service/overlays/prod', 'api/payments/service/overlays/dev']) {
      const { objects } = await new Renderer().render({ root: FIXTURE_REPO, path });
      assert.deepEqual(await lintObjects({ objects, schemas, config }), [], path);
    }
  });

  it('finds every mistake of a bad app: schema, resources, probe, image, project (hook and cluster-scoped kind)', async () => {
    const objects = await renderTree(BAD_APP);
    const project = { project: PROJECT, destination: { server: 'https://kubernetes.default.svc', namespace: 'team-a-dev' }, repoURL: 'https://github.com/other/x', appFile: 'apps/web.yaml' };
    const findings = await lintObjects({ objects, schemas, project, defaultNamespace: 'team-a-dev' });
    assert.deepEqual(summary(findings), [
      'project app/migrate.yaml:2 Job/migrate-: destination server https://kubernetes.default.svc, namespace kube-system is not permitted in project "team-a"',
      'project app/ns.yaml:1 Namespace/extra: cluster-scoped resource Namespace is not permitted in project "team-a" (not in clusterResourceWhitelist)',
      'schema app/web.yaml:1 Deployment/web: spec.replicas: must be an integer',
      'schema app/web.yaml:1 Deployment/web: spec.template.spec.containers[0].imagePullPolicyy: unknown field',
      'container-resources app/web.yaml:1 Deployment/web: container "web" has no resources.requests.cpu, resources.requests.memory, resources.limits.memory',
      'readiness-probe app/web.yaml:1 Deployment/web: container "web" has no readinessProbe',
      'image-pinned app/web.yaml:1 Deployment/web: container "web" image nginx is not pinned (no tag means latest)',
      'project apps/web.yaml:null Application/null: repository https://github.com/other/x is not permitted in project "team-a"',
    ]);
    const web = findings.find((f) => f.rule === 'readiness-probe')!;
    assert.deepEqual([web.severity, web.namespace, web.kind], ['error', 'team-a-dev', 'Deployment']);
    assert.equal(findings.find((f) => f.kind === 'Namespace')!.namespace, null);
  });

  it('follows the repository configuration: disabled rules, severities, and per-object opt-outs', async () => {
    const config = parseLintConfig('rules:\n  readiness-probe: { enabled: false }\n  image-pinned: { severity: warning }\n  schema: { enabled: false }\n', 'gitwave-lint.yaml');
    const files = { ...BAD_APP, 'app/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: extra\n  annotations: { gitwave.io/lint-disable: "project" }\n' };
    const findings = await lintObjects({ objects: await renderTree(files), schemas, config });
    assert.deepEqual(findings.map((f) => `${f.rule}:${f.severity}`), ['container-resources:error', 'image-pinned:warning']);
  });

  it('without a project, no project findings; without schemas, no schema findings', async () => {
    const findings = await lintObjects({ objects: await renderTree(BAD_APP) });
    assert.deepEqual([...new Set(findings.map((f) => f.rule))].sort(), ['container-resources', 'image-pinned', 'readiness-probe']);
  });

  it('turns a failed render into render findings with file and line', async () => {
    const error = new RenderError([{ file: 'app/x.yaml', line: 3, message: 'malformed YAML: tabs are not allowed as indentation' }, { file: 'app/kustomization.yaml', message: 'kustomize build failed: x' }]);
    const findings = renderFindings(error);
    assert.deepEqual(findings.map((f) => [f.rule, f.severity, f.file, f.line]), [['render', 'error', 'app/x.yaml', 3], ['render', 'error', 'app/kustomization.yaml', null]]);
    assert.match(findings[0].fix, /YAML syntax/);
  });
});

describe('gitwave-lint.yaml', () => {
  it('defaults: the four policy rules, required-env off, schema and project on', () => {
    const config = defaultLintConfig();
    assert.deepEqual([...config.entries()].map(([name, s]) => `${name}:${s.enabled}`), [
      'container-resources:true', 'readiness-probe:true', 'image-pinned:true', 'required-env:false', 'schema:true', 'project:true',
    ]);
  });

  const bad: Array<[string, RegExp]> = [
    ['rules:\n  no-such-rule: {}\n', /rules\.no-such-rule: unknown rule \(known: container-resources/],
    ['rules:\n  image-pinned: { severity: fatal }\n', /rules\.image-pinned\.severity: /],
    ['rules:\n  image-pinned: { enabeld: true }\n', /rules\.image-pinned: /],
    ['rules:\n  required-env: { enabled: true }\n', /rules\.required-env\.parameters: names must be a non-empty list/],
    ['rules:\n  schema: { parameters: { x: 1 } }\n', /rules\.schema\.parameters: this rule takes no parameters/],
    ['rules:\n\tbad: 1\n', /gitwave-lint\.yaml:2: malformed YAML/],
  ];
  for (const [text, expected] of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => {
      assert.throws(() => parseLintConfig(text, 'gitwave-lint.yaml'), (error: Error) => error instanceof LintConfigError && expected.test(error.message));
    });
  }
});

describe('output formats', () => {
  const finding: Finding = {
    rule: 'image-pinned', severity: 'error', file: 'api/web,v2.yaml', line: 12, kind: 'Deployment', namespace: 'team', name: 'web',
    message: 'container "web" image nginx is not pinned (100%)', fix: 'pin it\nplease',
  };

  it('text: location, severity, rule, object, message and fix, then a summary', () => {
    assert.equal(formatFindings([finding, { ...finding, severity: 'warning', line: null }], 'text'),
      'api/web,v2.yaml:12: error [image-pinned] Deployment team/web: container "web" image nginx is not pinned (100%)\n  fix: pin it\nplease\n'
      + 'api/web,v2.yaml: warning [image-pinned] Deployment team/web: container "web" image nginx is not pinned (100%)\n  fix: pin it\nplease\n'
      + '1 error, 1 warning\n');
    assert.equal(formatFindings([], 'text'), 'no findings\n');
  });

  it('json: the array of findings with the contract fields', () => {
    const parsed = JSON.parse(formatFindings([finding], 'json'));
    assert.deepEqual(Object.keys(parsed[0]), ['rule', 'severity', 'file', 'line', 'kind', 'namespace', 'name', 'message', 'fix']);
  });

  it('github: workflow commands with properties and data escaped', () => {
    assert.equal(formatFindings([finding], 'github'),
      '::error file=api/web%2Cv2.yaml,line=12,title=gitwave lint%3A image-pinned::Deployment team/web: container "web" image nginx is not pinned (100%25)%0Afix: pin it%0Aplease\n');
  });
});
