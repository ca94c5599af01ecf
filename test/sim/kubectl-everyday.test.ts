// Conformance: what a kubectl user types every day, driven by the real kubectl (v1.32, on PATH). The
// typed `create` commands, `run` and `auth can-i` send protobuf bodies; the answers are JSON.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startKubectlSim, type KubectlSim } from './helpers.ts';

describe('kubectl everyday commands against the simulator', () => {
  let k: KubectlSim;
  const kubectl = (...args: string[]) => k.kubectl(...args);
  /** Runs kubectl and fails with its stderr unless it succeeds. */
  const ok = async (...args: string[]) => {
    const run = await kubectl(...args);
    assert.equal(run.code, 0, `kubectl ${args.join(' ')}: ${run.stderr}`);
    return run.stdout;
  };
  const json = async (...args: string[]) => JSON.parse(await ok(...args, '-o', 'json'));

  before(async () => {
    k = await startKubectlSim();
  });
  after(() => k.stop());

  it('create namespace', async () => {
    assert.match(await ok('create', 'namespace', 'team-a'), /namespace\/team-a created/);
    const ns = await json('get', 'namespace', 'team-a');
    assert.equal(ns.metadata.labels['kubernetes.io/metadata.name'], 'team-a');
    assert.equal(ns.status.phase, 'Active');
  });

  it('create deployment, defaulted as the API server does', async () => {
    assert.match(await ok('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80', '-n', 'team-a'), /deployment\.apps\/web created/);
    const d = await json('get', 'deployment', 'web', '-n', 'team-a');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    assert.deepEqual(d.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    assert.equal(d.spec.template.metadata.creationTimestamp, undefined);
    assert.match(await ok('rollout', 'status', 'deployment/web', '-n', 'team-a', '--timeout=20s'), /successfully rolled out/);
  });

  it('create deployment --replicas=0 keeps the explicit zero', async () => {
    await ok('create', 'deployment', 'idle', '--image=nginx:1.27', '--replicas=0');
    assert.equal((await json('get', 'deployment', 'idle')).spec.replicas, 0);
  });

  it('create secret generic: bytes stored in base64', async () => {
    assert.match(await ok('create', 'secret', 'generic', 'db', '--from-literal=password=s3cr3t', '--from-literal=user=app'), /secret\/db created/);
    const secret = await json('get', 'secret', 'db');
    assert.equal(secret.type, 'Opaque');
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 's3cr3t');
    assert.equal(Buffer.from(secret.data.user, 'base64').toString(), 'app');
  });

  it('create configmap', async () => {
    assert.match(await ok('create', 'configmap', 'settings', '--from-literal=mode=fast', '--from-literal=level=3'), /configmap\/settings created/);
    assert.deepEqual((await json('get', 'configmap', 'settings')).data, { mode: 'fast', level: '3' });
  });

  it('create job, which completes', async () => {
    assert.match(await ok('create', 'job', 'once', '--image=busybox:1.36', '--', 'echo', 'hi'), /job\.batch\/once created/);
    const job = await json('get', 'job', 'once');
    assert.deepEqual(job.spec.template.spec.containers[0].command, ['echo', 'hi']);
    assert.equal(job.spec.template.spec.restartPolicy, 'Never');
    assert.match(await ok('wait', '--for=condition=Complete', 'job/once', '--timeout=20s'), /condition met/);
  });

  it('run a pod, which becomes Ready', async () => {
    assert.match(await ok('run', 'shell', '--image=nginx:1.27', '--labels=tier=debug', '--env=MODE=dev'), /pod\/shell created/);
    const pod = await json('get', 'pod', 'shell');
    assert.deepEqual(pod.metadata.labels, { tier: 'debug' });
    assert.deepEqual(pod.spec.containers[0].env, [{ name: 'MODE', value: 'dev' }]);
    assert.match(await ok('wait', '--for=condition=Ready', 'pod/shell', '--timeout=20s'), /condition met/);
  });

  it('auth can-i answers yes (no RBAC) and auth whoami names the admin', async () => {
    assert.equal((await ok('auth', 'can-i', 'delete', 'deployments', '-n', 'team-a')).trim(), 'yes');
    const why = await kubectl('auth', 'can-i', 'create', 'pods', '-v=8');
    assert.match(why.stderr, /no RBAC/);
    assert.match(await ok('auth', 'whoami'), /sim-admin/);
  });
});
