import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningSimulator } from '../../local/kube-sim/index.ts';
import { apply, call, deployment, eventually, startTestSim } from './helpers.ts';

const condition = (obj: any, type: string) => obj?.status?.conditions?.find((c: any) => c.type === type);

async function until(sim: RunningSimulator, path: string, check: (obj: any) => boolean): Promise<any> {
  return eventually(async () => {
    const res = await call(sim, 'GET', path);
    return res.status === 200 && check(res.body) ? res.body : undefined;
  });
}

function job(name: string, annotations: Record<string, string>) {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name, annotations },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'run', image: 'busybox' }] } } },
  };
}

describe('simulated controllers', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await startTestSim();
  });
  after(() => sim.stop());

  it('rolls a Deployment out: observedGeneration, replica counts, Available and Progressing conditions', async () => {
    await apply(sim, '/apis/apps/v1/namespaces/default/deployments/roll', deployment('roll', 3), 'gitwave');
    const done = await until(sim, '/apis/apps/v1/namespaces/default/deployments/roll', (d) => condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable');
    assert.equal(done.status.observedGeneration, done.metadata.generation);
    assert.deepEqual([done.status.replicas, done.status.updatedReplicas, done.status.readyReplicas, done.status.availableReplicas], [3, 3, 3, 3]);
    assert.equal(condition(done, 'Available').status, 'True');
    const pods = (await call(sim, 'GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Droll')).body.items;
    assert.equal(pods.length, 3);
    assert.ok(pods.every((p: any) => p.status.phase === 'Running' && p.metadata.ownerReferences[0].kind === 'ReplicaSet'));
  });

  it('rolls a new template out through a new ReplicaSet and scales the old one to zero', async () => {
    const path = '/apis/apps/v1/namespaces/default/deployments/roll2';
    await apply(sim, path, deployment('roll2', 2, 'nginx:1'), 'gitwave');
    await until(sim, path, (d) => condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable');
    await apply(sim, path, deployment('roll2', 2, 'nginx:2'), 'gitwave');
    const done = await until(sim, path, (d) => d.metadata.annotations?.['deployment.kubernetes.io/revision'] === '2' && condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable' && d.status.replicas === 2);
    assert.equal(done.status.updatedReplicas, 2);
    const sets = (await call(sim, 'GET', '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Droll2')).body.items;
    assert.deepEqual(sets.map((rs: any) => rs.spec.replicas).sort(), [0, 2]);
  });

  it('brings a StatefulSet and a DaemonSet to ready with their revisions', async () => {
    const sts = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres' }] } } } };
    const ds = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent' }] } } } };
    await apply(sim, '/apis/apps/v1/namespaces/default/statefulsets/db', sts, 'gitwave');
    await apply(sim, '/apis/apps/v1/namespaces/default/daemonsets/agent', ds, 'gitwave');
    const s = await until(sim, '/apis/apps/v1/namespaces/default/statefulsets/db', (o) => o.status?.readyReplicas === 2);
    assert.equal(s.status.currentRevision, s.status.updateRevision);
    assert.equal(s.status.updatedReplicas, 2);
    assert.ok((await call(sim, 'GET', '/api/v1/namespaces/default/pods/db-1')).body.metadata.name);
    const d = await until(sim, '/apis/apps/v1/namespaces/default/daemonsets/agent', (o) => o.status?.numberReady === 1);
    assert.equal(d.status.desiredNumberScheduled, 1);
    assert.equal(d.status.observedGeneration, 1);
  });

  it('completes a Job after its duration, and fails one annotated to fail', async () => {
    await call(sim, 'POST', '/apis/batch/v1/namespaces/default/jobs', job('ok', { 'sim.gitwave.dev/duration': '0.05' }));
    await call(sim, 'POST', '/apis/batch/v1/namespaces/default/jobs', job('bad', { 'sim.gitwave.dev/duration': '0.05', 'sim.gitwave.dev/outcome': 'fail' }));
    const ok = await until(sim, '/apis/batch/v1/namespaces/default/jobs/ok', (j) => condition(j, 'Complete')?.status === 'True');
    assert.equal(ok.status.succeeded, 1);
    assert.ok(ok.status.completionTime);
    assert.equal(condition(ok, 'SuccessCriteriaMet').status, 'True');
    const bad = await until(sim, '/apis/batch/v1/namespaces/default/jobs/bad', (j) => condition(j, 'Failed')?.status === 'True');
    assert.equal(bad.status.failed, 1);
    assert.equal(condition(bad, 'Failed').reason, 'BackoffLimitExceeded');
    assert.equal(condition(bad, 'Complete'), undefined);
    const pods = (await call(sim, 'GET', '/api/v1/namespaces/default/pods?labelSelector=job-name%3Dbad')).body.items;
    assert.equal(pods[0].status.phase, 'Failed');
  });

  it('runs a bare hook Pod to Succeeded, and a long-running one to Running and Ready', async () => {
    const hook = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'hook', annotations: { 'sim.gitwave.dev/duration': '0.05' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'h', image: 'busybox' }] } };
    const server = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'server' }, spec: { containers: [{ name: 's', image: 'nginx' }] } };
    await call(sim, 'POST', '/api/v1/namespaces/default/pods', hook);
    await call(sim, 'POST', '/api/v1/namespaces/default/pods', server);
    await until(sim, '/api/v1/namespaces/default/pods/hook', (p) => p.status.phase === 'Succeeded');
    const running = await until(sim, '/api/v1/namespaces/default/pods/server', (p) => p.status.phase === 'Running');
    assert.equal(condition(running, 'Ready').status, 'True');
    assert.equal(running.status.containerStatuses[0].ready, true);
  });

  it('gives LoadBalancer Services and Ingresses an address, and binds PVCs', async () => {
    await call(sim, 'POST', '/api/v1/namespaces/default/services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'lb' }, spec: { type: 'LoadBalancer', ports: [{ port: 80 }] } });
    const ing = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' }, spec: { rules: [{ host: 'a.example.com' }] } };
    await call(sim, 'POST', '/apis/networking.k8s.io/v1/namespaces/default/ingresses', ing);
    await call(sim, 'POST', '/api/v1/namespaces/default/persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } });
    const svc = await until(sim, '/api/v1/namespaces/default/services/lb', (s) => s.status?.loadBalancer?.ingress?.length);
    assert.match(svc.spec.clusterIP, /^10\.96\./);
    assert.ok(svc.spec.ports[0].nodePort >= 30000);
    await until(sim, '/apis/networking.k8s.io/v1/namespaces/default/ingresses/web', (i) => i.status?.loadBalancer?.ingress?.length);
    const pvc = await until(sim, '/api/v1/namespaces/default/persistentvolumeclaims/data', (p) => p.status?.phase === 'Bound');
    assert.equal(pvc.status.capacity.storage, '5Gi');
  });

  it('gives CronJobs, HorizontalPodAutoscalers and PodDisruptionBudgets the status their health reads', async () => {
    const cron = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 0 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } };
    const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { minReplicas: 2, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' } } };
    const hpaV1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'old' }, spec: { maxReplicas: 3, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'old' } } };
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } };
    await call(sim, 'POST', '/apis/batch/v1/namespaces/default/cronjobs', cron);
    await call(sim, 'POST', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', hpa);
    await call(sim, 'POST', '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', hpaV1);
    await call(sim, 'POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', pdb);
    await until(sim, '/apis/batch/v1/namespaces/default/cronjobs/nightly', (c) => c.status !== undefined);
    const scaled = await until(sim, '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web', (h) => h.status?.conditions?.length);
    assert.equal(condition(scaled, 'AbleToScale').status, 'True');
    const old = await until(sim, '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers/old', (h) => h.metadata.annotations?.['autoscaling.alpha.kubernetes.io/conditions']);
    assert.ok(JSON.parse(old.metadata.annotations['autoscaling.alpha.kubernetes.io/conditions']).some((c: any) => c.type === 'AbleToScale'));
    const budget = await until(sim, '/apis/policy/v1/namespaces/default/poddisruptionbudgets/web', (p) => p.status?.conditions?.length);
    assert.equal(condition(budget, 'DisruptionAllowed').status, 'True');
  });
});
