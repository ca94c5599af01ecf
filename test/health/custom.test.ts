// Custom health checks and the evaluation order of SPEC-sync §4.1, and the opt-in Application check.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applicationHealthCheck, findCustomCheck, hasBuiltinHealth, healthOf, parseCheckKey, type CustomHealthCheck } from '../../shared/health/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const obj = (apiVersion: string, kind: string, extra: Partial<KubeObject> = {}): KubeObject =>
  ({ apiVersion, kind, metadata: { name: 'x' }, ...extra });
const says = (status: 'Healthy' | 'Degraded'): CustomHealthCheck => () => ({ status, message: `custom ${status}` });
const readyPvc = obj('v1', 'PersistentVolumeClaim', { status: { phase: 'Bound' } });

describe('parseCheckKey', () => {
  const cases: Array<[string, string, string]> = [
    ['argoproj.io_Application', 'argoproj.io', 'Application'],
    ['cert-manager.io/Certificate', 'cert-manager.io', 'Certificate'],
    ['ConfigMap', '', 'ConfigMap'],
    ['*.crossplane.io_*', '*.crossplane.io', '*'],
  ];
  for (const [key, group, kind] of cases) {
    it(key, () => assert.deepEqual(parseCheckKey(key), { group, kind }));
  }
});

describe('custom checks (§4.1 step 2)', () => {
  it('override the built-in check of the same kind', () => {
    assert.equal(healthOf(readyPvc, { customChecks: { PersistentVolumeClaim: says('Degraded') } })?.status, 'Degraded');
  });
  it('give health to kinds without a built-in check', () => {
    const cr = obj('db.example.com/v1', 'Database');
    assert.equal(healthOf(cr), null);
    assert.equal(healthOf(cr, { customChecks: { 'db.example.com_Database': says('Healthy') } })?.status, 'Healthy');
  });
  it('match wildcards in group and kind', () => {
    const checks = { '*.example.com_*': says('Degraded') };
    assert.equal(healthOf(obj('db.example.com/v1', 'Database'), { customChecks: checks })?.status, 'Degraded');
    assert.equal(healthOf(obj('db.other.org/v1', 'Database'), { customChecks: checks }), null);
  });
  it('prefer an exact key over a wildcard listed first', () => {
    const checks = { '*_Database': says('Degraded'), 'db.example.com_Database': says('Healthy') };
    assert.equal(findCustomCheck(checks, 'db.example.com', 'Database'), checks['db.example.com_Database']);
  });
  it('do not match a core key against another group', () => {
    assert.equal(findCustomCheck({ Service: says('Degraded') }, 'serving.knative.dev', 'Service'), undefined);
  });
  it('fall through to the built-in check when they return null', () => {
    assert.equal(healthOf(readyPvc, { customChecks: { PersistentVolumeClaim: () => null } })?.status, 'Healthy');
  });
  it('make health Unknown with the message when they throw', () => {
    const boom: CustomHealthCheck = () => { throw new Error('script failed'); };
    assert.deepEqual(healthOf(readyPvc, { customChecks: { PersistentVolumeClaim: boom } }), { status: 'Unknown', message: 'script failed' });
  });
  it('make health Unknown when they return a status outside the vocabulary', () => {
    const odd = (() => ({ status: 'Fine' })) as unknown as CustomHealthCheck;
    assert.equal(healthOf(readyPvc, { customChecks: { PersistentVolumeClaim: odd } })?.status, 'Unknown');
  });
  it('come after pending deletion (§4.1 step 1)', () => {
    const deleting = { ...readyPvc, metadata: { name: 'x', deletionTimestamp: '2024-01-01T00:00:00Z' } };
    assert.deepEqual(healthOf(deleting, { customChecks: { PersistentVolumeClaim: says('Healthy') } }), { status: 'Progressing', message: 'Pending deletion' });
  });
});

describe('argoproj.io/Application opt-in check', () => {
  const child = (health?: object): KubeObject => obj('argoproj.io/v1alpha1', 'Application', health ? { status: { health } } : {});
  it('has no health by default (no built-in since Argo CD 1.8)', () => assert.equal(healthOf(child({ status: 'Degraded' })), null));
  it('is Progressing until the child reports health', () => {
    assert.equal(healthOf(child(), { applicationHealth: true })?.status, 'Progressing');
  });
  it('then mirrors the child', () => {
    assert.deepEqual(healthOf(child({ status: 'Degraded', message: 'bad' }), { applicationHealth: true }), { status: 'Degraded', message: 'bad' });
    assert.equal(healthOf(child({ status: 'Suspended' }), { applicationHealth: true })?.status, 'Suspended');
  });
  it('reads an unknown reported status as Unknown', () => {
    assert.equal(healthOf(child({ status: 'Weird' }), { applicationHealth: true })?.status, 'Unknown');
  });
  it('yields to a user check for Applications', () => {
    assert.equal(healthOf(child(), { applicationHealth: true, customChecks: { 'argoproj.io_Application': says('Healthy') } })?.status, 'Healthy');
  });
  it('is exported for use as a custom check', () => {
    assert.equal(healthOf(child({ status: 'Healthy' }), { customChecks: { 'argoproj.io_Application': applicationHealthCheck } })?.status, 'Healthy');
  });
});

describe('robustness', () => {
  it('returns null for an object without kind or apiVersion', () => {
    assert.equal(healthOf({ metadata: {} } as unknown as KubeObject), null);
  });
  it('reads an object without metadata', () => {
    assert.equal(healthOf({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', status: { phase: 'Lost' } } as unknown as KubeObject)?.status, 'Degraded');
  });
});

describe('hasBuiltinHealth (which kinds a wave waits on)', () => {
  const cases: Array<[string, string, boolean]> = [
    ['apps', 'Deployment', true], ['', 'Pod', true], ['batch', 'CronJob', true],
    ['', 'ConfigMap', false], ['argoproj.io', 'Application', false], ['rabbitmq.com', 'RabbitmqCluster', false],
  ];
  for (const [group, kind, expected] of cases) {
    it(`${group}/${kind} → ${expected}`, () => assert.equal(hasBuiltinHealth(group, kind), expected));
  }
});
