/**
 * The built-in policy rules, one table per rule: every Pod-template kind (Deployment, StatefulSet,
 * DaemonSet, ReplicaSet, Job, CronJob, Pod; hooks are objects like any other), what passes and what
 * is reported with which fix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../shared/model/object.ts';
import { BUILTIN_RULES, tagOf } from '../../shared/render/lint/index.ts';

const GOOD = {
  name: 'app', image: 'registry.example.com/app:1.2.3',
  resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '128Mi' } },
  readinessProbe: { httpGet: { path: '/healthz', port: 8080 } },
  env: [{ name: 'LOG_LEVEL', value: 'info' }],
};

/** An object of `kind` whose Pod spec holds `containers` (and `initContainers`). */
function withPod(kind: string, containers: object[], initContainers?: object[]): KubeObject {
  const pod = { containers, ...(initContainers ? { initContainers } : {}) };
  const template = { metadata: { labels: { app: 'x' } }, spec: pod };
  const spec: Record<string, unknown> =
    kind === 'Pod' ? pod
      : kind === 'CronJob' ? { schedule: '* * * * *', jobTemplate: { spec: { template } } }
        : { selector: { matchLabels: { app: 'x' } }, template };
  const apiVersion = kind === 'Pod' ? 'v1' : kind === 'Job' || kind === 'CronJob' ? 'batch/v1' : 'apps/v1';
  return { apiVersion, kind, metadata: { name: 'x', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } }, spec };
}

const check = (rule: string, object: KubeObject, params?: Record<string, unknown>): string[] => {
  const r = BUILTIN_RULES.get(rule)!;
  return r.check(object, { ...r.defaults, ...params }).map((v) => v.message);
};

const POD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

describe('container-resources', () => {
  for (const kind of POD_KINDS) {
    it(`${kind}: passes with requests and a memory limit, reports what is missing`, () => {
      assert.deepEqual(check('container-resources', withPod(kind, [GOOD])), []);
      const bare = { ...GOOD, resources: { requests: { cpu: '1' } } };
      assert.deepEqual(check('container-resources', withPod(kind, [bare])), ['container "app" has no resources.requests.memory, resources.limits.memory']);
    });
  }

  it('checks init containers too, unless initContainers: false', () => {
    const init = { name: 'wait', image: 'busybox:1.36' };
    assert.deepEqual(check('container-resources', withPod('Deployment', [GOOD], [init])), ['init container "wait" has no resources.requests.cpu, resources.requests.memory, resources.limits.memory']);
    assert.deepEqual(check('container-resources', withPod('Deployment', [GOOD], [init]), { initContainers: false }), []);
  });

  it('can require a CPU limit', () => {
    assert.deepEqual(check('container-resources', withPod('Pod', [GOOD]), { cpuLimit: true }), ['container "app" has no resources.limits.cpu']);
  });

  it('gives the fix as field paths', () => {
    const [violation] = BUILTIN_RULES.get('container-resources')!.check(withPod('CronJob', [{ name: 'c', image: 'i:1' }]), BUILTIN_RULES.get('container-resources')!.defaults);
    assert.match(violation.fix, /^set spec\.jobTemplate\.spec\.template\.spec\.containers\[0\]\.resources\.requests\.cpu, /);
  });

  it('ignores kinds without a Pod template', () => {
    assert.deepEqual(check('container-resources', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { template: {} } }), []);
  });
});

describe('readiness-probe', () => {
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet']) {
    it(`${kind}: every container needs one`, () => {
      assert.deepEqual(check('readiness-probe', withPod(kind, [GOOD])), []);
      assert.deepEqual(check('readiness-probe', withPod(kind, [GOOD, { name: 'sidecar', image: 's:1' }])), ['container "sidecar" has no readinessProbe']);
    });
  }
  for (const kind of ['ReplicaSet', 'Job', 'CronJob', 'Pod']) {
    it(`${kind}: not required`, () => assert.deepEqual(check('readiness-probe', withPod(kind, [{ name: 'c', image: 'i:1' }])), []));
  }
  it('not required on init containers', () => {
    assert.deepEqual(check('readiness-probe', withPod('Deployment', [GOOD], [{ name: 'init', image: 'i:1' }])), []);
  });
});

describe('image-pinned', () => {
  const cases: Array<[string, boolean]> = [
    ['nginx:1.27.0', true],
    ['registry.example.com:5000/team/app:2024-05-01', true],
    ['nginx@sha256:0f3c5e0b7a1d9e2c4b6a8f0e1d3c5b7a9f1e3d5c7b9a1f3e5d7c9b1a3f5e7d9c', true],
    ['nginx:latest@sha256:0f3c', true],
    ['nginx', false],
    ['nginx:latest', false],
    ['registry.example.com:5000/team/app', false],
  ];
  for (const [image, pinned] of cases) {
    it(`${image} is ${pinned ? '' : 'not '}pinned`, () => {
      const messages = check('image-pinned', withPod('Job', [{ ...GOOD, image }]));
      assert.equal(messages.length, pinned ? 0 : 1, messages.join());
    });
  }

  it('checks init containers and takes a list of forbidden tags', () => {
    assert.deepEqual(check('image-pinned', withPod('Deployment', [GOOD], [{ name: 'init', image: 'tools:dev' }]), { forbiddenTags: ['latest', 'dev'] }), ['init container "init" image tools:dev is not pinned (tag dev)']);
  });

  it('reads the tag after the last path segment (a registry port is not a tag)', () => {
    assert.deepEqual([tagOf('host:5000/app'), tagOf('host:5000/app:1'), tagOf('app')], [undefined, '1', undefined]);
  });
});

describe('required-env', () => {
  const params = { names: ['^LOG_LEVEL$', '^OTEL_'] };
  it('reports every pattern no env variable matches', () => {
    assert.deepEqual(check('required-env', withPod('Deployment', [GOOD]), params), ['container "app" has no env variable matching ^OTEL_']);
    assert.deepEqual(check('required-env', withPod('Deployment', [{ ...GOOD, env: [...GOOD.env, { name: 'OTEL_ENDPOINT', value: 'x' }] }]), params), []);
  });

  it('limits itself to the configured kinds', () => {
    assert.deepEqual(check('required-env', withPod('Job', [{ name: 'j', image: 'j:1' }]), { ...params, kinds: ['Deployment'] }), []);
  });

  it('is off by default and refuses unusable parameters', () => {
    const rule = BUILTIN_RULES.get('required-env')!;
    assert.equal(rule.defaultEnabled, false);
    assert.match(rule.checkParameters!({ names: [] })!, /non-empty list/);
    assert.match(rule.checkParameters!({ names: ['('] })!, /is not a regular expression/);
  });
});
