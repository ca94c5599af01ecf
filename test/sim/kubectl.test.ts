// Conformance: the real kubectl (v1.32, on PATH) against the simulator, through a kubeconfig the
// simulator writes. kubectl runs asynchronously: the simulator shares this process's event loop.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { call, eventually, startKubectlSim, type KubectlSim } from './helpers.ts';

const FIXTURES = new URL('../fixtures/sim/', import.meta.url).pathname;

describe('kubectl against the simulator', () => {
  let sim: RunningSimulator;
  let env: NodeJS.ProcessEnv;
  let kubectl: KubectlSim['kubectl'];
  let running: KubectlSim;

  before(async () => {
    running = await startKubectlSim({ crdDelaySeconds: 0.2 });
    ({ sim, env, kubectl } = running);
  });
  after(() => running.stop());

  it('reports the server version and lists the API resources', async () => {
    const version = await kubectl('version', '-o', 'json');
    assert.equal(version.code, 0, version.stderr);
    assert.equal(JSON.parse(version.stdout).serverVersion.minor, '32');
    const resources = await kubectl('api-resources', '-o', 'name');
    assert.equal(resources.code, 0, resources.stderr);
    for (const name of ['deployments.apps', 'jobs.batch', 'customresourcedefinitions.apiextensions.k8s.io', 'configmaps']) {
      assert.ok(resources.stdout.split('\n').includes(name), name);
    }
  });

  it('applies server-side, reports a second manager\'s conflict, and takes it over with --force-conflicts', async () => {
    const first = await kubectl('apply', '--server-side', '-f', join(FIXTURES, 'web.yaml'));
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /deployment\.apps\/web serverside-applied/);
    const clash = await kubectl('apply', '--server-side', '--field-manager=ops', '-f', join(FIXTURES, 'web-scaled.yaml'));
    assert.notEqual(clash.code, 0);
    assert.match(clash.stderr, /Apply failed with 1 conflict: conflict with "kubectl": \.spec\.replicas/);
    const forced = await kubectl('apply', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', join(FIXTURES, 'web-scaled.yaml'));
    assert.equal(forced.code, 0, forced.stderr);
    const replicas = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}');
    assert.equal(replicas.stdout, '5');
  });

  it('diffs server-side: nothing for the live state, the change for a new one', async () => {
    const same = await kubectl('diff', '--server-side', '--field-manager=ops', '-f', join(FIXTURES, 'web-scaled.yaml'));
    assert.equal(same.code, 0, same.stdout + same.stderr);
    const changed = await kubectl('diff', '--server-side', '--field-manager=ops', '--force-conflicts', '-f', join(FIXTURES, 'web.yaml'));
    assert.equal(changed.code, 1, changed.stderr);
    assert.match(changed.stdout, /- {2}replicas: 5\n\+ {2}replicas: 2/);
  });

  it('waits for a Deployment to become Available', async () => {
    const wait = await kubectl('wait', '--for=condition=Available', 'deployment/web', '--timeout=15s');
    assert.equal(wait.code, 0, wait.stderr);
    assert.match(wait.stdout, /condition met/);
    const rollout = await kubectl('rollout', 'status', 'deployment/web', '--timeout=15s');
    assert.match(rollout.stdout, /successfully rolled out/);
  });

  it('streams changes with get -w', async () => {
    const child = spawn('kubectl', ['get', 'configmaps', '-w', '-o', 'name'], { env });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    try {
      await eventually(async () => (out.includes('configmap/web-config') ? true : undefined), 60_000);
      await call(sim, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched-later' } });
      await eventually(async () => (out.includes('configmap/watched-later') ? true : undefined), 60_000);
    } finally {
      child.kill();
    }
  });

  it('selects by label and patches with the strategic, merge and json types', async () => {
    const selected = await kubectl('get', 'configmaps', '-l', 'tier=web', '-o', 'name');
    assert.equal(selected.stdout.trim(), 'configmap/web-config');
    await kubectl('patch', 'deployment', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"EXTRA","value":"1"}]}]}}}}');
    const env = await kubectl('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].env[*].name}');
    assert.equal(env.stdout, 'MODE EXTRA');
    await kubectl('patch', 'configmap', 'web-config', '--type=merge', '-p', '{"data":{"b":"2"}}');
    await kubectl('patch', 'configmap', 'web-config', '--type=json', '-p', '[{"op":"remove","path":"/data/greeting"}]');
    const data = await kubectl('get', 'configmap', 'web-config', '-o', 'jsonpath={.data}');
    assert.deepEqual(JSON.parse(data.stdout), { b: '2' });
  });

  it('refuses an unknown field, naming it', async () => {
    const res = await kubectl('apply', '-f', join(FIXTURES, 'unknown-field.yaml'));
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /dataa/);
  });

  it('serves a custom resource only after its CRD is Established', async () => {
    const together = await kubectl('apply', '--server-side', '-f', join(FIXTURES, 'widget-crd.yaml'));
    assert.notEqual(together.code, 0, 'the Widget kind is not served yet when kubectl maps it');
    assert.match(together.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/widgets\.example\.com serverside-applied/);
    assert.match(together.stderr, /Widget/);
    const wait = await kubectl('wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=15s');
    assert.equal(wait.code, 0, wait.stderr);
    const again = await kubectl('apply', '--server-side', '-f', join(FIXTURES, 'widget-crd.yaml'));
    assert.equal(again.code, 0, again.stderr);
    const table = await kubectl('get', 'widgets');
    assert.match(table.stdout, /NAME\s+SIZE\s+AGE\nsmall\s+3\s+/);
  });

  it('deletes with cascading to the pods the Deployment made', async () => {
    const del = await kubectl('delete', 'deployment', 'web', '--cascade=foreground', '--timeout=15s');
    assert.equal(del.code, 0, del.stderr);
    await eventually(async () => ((await call(sim, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).body.items.length === 0 ? true : undefined));
    const get = await kubectl('get', 'deployment', 'web');
    assert.match(get.stderr, /NotFound|not found/);
  });
});
