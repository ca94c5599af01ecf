// Conformance: what a kubectl user types every day, driven by the real kubectl (v1.32, on PATH). The
// typed `create` commands, `run` and `auth can-i` send protobuf bodies; the answers are JSON.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, startKubectlSim, type KubectlSim } from './helpers.ts';

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

  it('create ingress (an inline rule value) and expose', async () => {
    assert.match(await ok('create', 'ingress', 'front', '--rule=shop.example.com/=web:80', '-n', 'team-a'), /ingress\.networking\.k8s\.io\/front created/);
    const rule = (await json('get', 'ingress', 'front', '-n', 'team-a')).spec.rules[0];
    assert.equal(rule.host, 'shop.example.com');
    assert.equal(rule.http.paths[0].backend.service.name, 'web');
    assert.match(await ok('expose', 'deployment', 'web', '--port=80', '-n', 'team-a'), /service\/web exposed/);
  });

  it('auth can-i answers yes (no RBAC) and auth whoami names the admin', async () => {
    assert.equal((await ok('auth', 'can-i', 'delete', 'deployments', '-n', 'team-a')).trim(), 'yes');
    const why = await kubectl('auth', 'can-i', 'create', 'pods', '-v=8');
    assert.match(why.stderr, /no RBAC/);
    assert.match(await ok('auth', 'whoami'), /sim-admin/);
  });

  it('get events shows what the controllers did', async () => {
    const table = await ok('get', 'events', '-n', 'team-a');
    assert.match(table.split('\n')[0], /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.match(table, /Normal\s+ScalingReplicaSet\s+deployment\/web\s+Scaled up replica set web-\w+ from 0 to 2/);
    assert.match(table, /Normal\s+SuccessfulCreate\s+replicaset\/web-\w+\s+Created pod: web-\w+-\w+/);
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.match(table, new RegExp(`Normal\\s+${reason}\\s+pod/web-`), reason);
    const other = await json('get', 'events.events.k8s.io', '-n', 'team-a');
    assert.ok(other.items.some((e: any) => e.regarding?.kind === 'Deployment' && e.reportingController === 'deployment-controller'));
  });

  it('describe shows the Events of a deployment, a pod and a job', async () => {
    assert.match(await ok('describe', 'deployment', 'web', '-n', 'team-a'), /Events:[\s\S]*ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set web-/);
    const pod = await ok('describe', 'pod', 'shell');
    for (const reason of ['Scheduled', 'Pulled', 'Created', 'Started']) assert.match(pod, new RegExp(`Events:[\\s\\S]*Normal\\s+${reason}\\s`), reason);
    assert.match(pod, /Started\s+\S+\s+kubelet\s+Started container shell/);
    assert.match(await ok('describe', 'job', 'once'), /Events:[\s\S]*SuccessfulCreate[\s\S]*Completed\s+\S+\s+job-controller\s+Job completed/);
  });

  it('describe shows a failed job\'s BackoffLimitExceeded warning', async () => {
    const file = join(k.env.HOME!, 'failing-job.json');
    const job = JSON.parse(await ok('create', 'job', 'doomed', '--image=busybox:1.36', '--dry-run=client', '-o', 'json'));
    job.metadata.annotations = { 'sim.gitwave.dev/outcome': 'fail', 'sim.gitwave.dev/duration': '0.2' };
    writeFileSync(file, JSON.stringify(job));
    await ok('create', '-f', file);
    assert.match(await ok('wait', '--for=condition=Failed', 'job/doomed', '--timeout=20s'), /condition met/);
    assert.match(await ok('describe', 'job', 'doomed'), /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/);
  });

  it('set image makes a new ReplicaSet, and rollout status waits for it', async () => {
    const before = (await json('get', 'replicasets', '-n', 'team-a', '-l', 'app=web')).items;
    assert.equal(before.length, 1);
    assert.equal(before[0].metadata.annotations['deployment.kubernetes.io/revision'], '1');
    assert.match(await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.28', '-n', 'team-a'), /image updated/);
    assert.match(await ok('rollout', 'status', 'deployment/web', '-n', 'team-a', '--timeout=20s'), /successfully rolled out/);
    const sets = (await json('get', 'replicasets', '-n', 'team-a', '-l', 'app=web')).items;
    assert.equal(sets.length, 2);
    const byRevision = Object.fromEntries(sets.map((rs: any) => [rs.metadata.annotations['deployment.kubernetes.io/revision'], rs]));
    assert.equal(byRevision['2'].spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal(byRevision['2'].spec.replicas, 2);
    assert.equal(byRevision['1'].spec.replicas, 0, 'the old ReplicaSet is scaled to zero and kept');
    assert.equal(byRevision['2'].metadata.labels['pod-template-hash'], byRevision['2'].metadata.name.replace('web-', ''));
    const d = await json('get', 'deployment', 'web', '-n', 'team-a');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '2');
    assert.match(await ok('get', 'events', '-n', 'team-a'), /Scaled down replica set web-\w+ from 2 to 0/);
  });

  it('rollout history lists both revisions, with the change cause', async () => {
    await ok('annotate', 'deployment/web', '-n', 'team-a', 'kubernetes.io/change-cause=to 1.29');
    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.29', '-n', 'team-a');
    await ok('rollout', 'status', 'deployment/web', '-n', 'team-a', '--timeout=20s');
    const history = await ok('rollout', 'history', 'deployment/web', '-n', 'team-a');
    assert.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>\n3\s+to 1\.29\n/);
    assert.match(await ok('rollout', 'history', 'deployment/web', '-n', 'team-a', '--revision=2'), /Image:\s+nginx:1\.28/);
  });

  it('rollout undo goes back to the earlier image through its old ReplicaSet', async () => {
    assert.match(await ok('rollout', 'undo', 'deployment/web', '-n', 'team-a', '--to-revision=2'), /rolled back/);
    assert.match(await ok('rollout', 'status', 'deployment/web', '-n', 'team-a', '--timeout=20s'), /successfully rolled out/);
    const d = await json('get', 'deployment', 'web', '-n', 'team-a');
    assert.equal(d.spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal(d.metadata.annotations['deployment.kubernetes.io/revision'], '4');
    const sets = (await json('get', 'replicasets', '-n', 'team-a', '-l', 'app=web')).items;
    assert.equal(sets.length, 3, 'the 1.28 ReplicaSet came back instead of a new one');
    const active = sets.filter((rs: any) => rs.spec.replicas > 0);
    assert.equal(active.length, 1);
    assert.equal(active[0].spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal(active[0].metadata.annotations['deployment.kubernetes.io/revision'], '4');
    assert.match(await ok('rollout', 'history', 'deployment/web', '-n', 'team-a'), /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n3\s+to 1\.29\n4\s+<none>\n/);
  });

  it('keeps old ReplicaSets up to revisionHistoryLimit', async () => {
    await ok('patch', 'deployment/web', '-n', 'team-a', '--type=merge', '-p', '{"spec":{"revisionHistoryLimit":1}}');
    await ok('set', 'image', 'deployment/web', 'nginx=nginx:1.30', '-n', 'team-a');
    await ok('rollout', 'status', 'deployment/web', '-n', 'team-a', '--timeout=20s');
    const sets = await eventually(async () => {
      const items = (await json('get', 'replicasets', '-n', 'team-a', '-l', 'app=web')).items;
      return items.length === 2 ? items : undefined;
    }, 10_000);
    const revisions = sets.map((rs: any) => rs.metadata.annotations['deployment.kubernetes.io/revision']).sort();
    assert.deepEqual(revisions, ['4', '5']);
  });
});
