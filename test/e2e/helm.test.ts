// An add-on deployed end to end from a Helm chart repository on loopback: the chart is packaged and
// indexed by the real `helm package` / `helm repo index` and served by a static server; the Application
// is registered through the API of the embedded local runtime, whose render λ fetches the chart by its
// exact version and renders it with the real helm; the sync applies the chart's hooks in their phases
// (pre-install → PreSync, post-install → PostSync, the test hook never) on the simulator.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LOCAL_CLUSTER } from '../../local/register.ts';
import { findHelm } from '../../shared/render/index.ts';
import { helm, INGRESS_CHART, serveFolder, writeChart } from '../render/helm/charts.ts';

import { startE2E, waitFor, type E2E } from './helpers/runtime.ts';

/** The ingress chart of the render tests, made to pass the render step's default lint (requests, limits, probes, pinned images). */
const RESOURCES = 'resources: {requests: {cpu: 10m, memory: 16Mi}, limits: {memory: 64Mi}}';
const ADDON_CHART: Record<string, string> = Object.fromEntries(Object.entries(INGRESS_CHART).map(([file, text]) => [file, file.startsWith('templates/')
  ? text
    .replace('containers: [{name: create, image: registry.example/certgen:v1}]', `containers: [{name: create, image: registry.example/certgen:v1, ${RESOURCES}}]`)
    .replace('containers: [{name: patch, image: registry.example/certgen:v1}]', `containers: [{name: patch, image: registry.example/certgen:v1, ${RESOURCES}}]`)
    .replace('containers: [{name: t, image: busybox}]', `containers: [{name: t, image: busybox:1.36, ${RESOURCES}}]`)
    .replace('        args: ["--kube={{ .Capabilities.KubeVersion.Version }}"]\n', `        args: ["--kube={{ .Capabilities.KubeVersion.Version }}"]\n        ${RESOURCES}\n        readinessProbe: {httpGet: {path: /healthz, port: 10254}}\n`)
  : text]));

let e2e: E2E;
let work: string;
let repo: { url: string; server: Server };

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'gitwave-helm-e2e-'));
  const helmBin = (await findHelm()).executable;
  await writeChart(join(work, 'src', 'ingress'), ADDON_CHART);
  await helm(helmBin, ['package', join(work, 'src', 'ingress'), '-d', join(work, 'repo')], work);
  repo = await serveFolder(join(work, 'repo'));
  await helm(helmBin, ['repo', 'index', join(work, 'repo'), '--url', repo.url], work);
  e2e = await startE2E();
});

after(async () => {
  await e2e?.rt.settle();
  await e2e?.stop();
  repo?.server.close();
  await rm(work, { recursive: true, force: true });
});

function ingressApp(version: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name: 'ingress', namespace: 'argocd' },
    spec: {
      project: 'default',
      source: { repoURL: repo.url, chart: 'ingress', targetRevision: version, helm: { releaseName: 'edge', valuesObject: { replicaCount: 2 } } },
      destination: { name: LOCAL_CLUSTER, namespace: 'ingress' },
      syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
    },
  };
}

describe('a Helm add-on on the local runtime', () => {
  it('deploys the chart from a loopback repository, its hooks in PreSync and PostSync and its test hook never', async () => {
    const registered = await e2e.api('/api/applications', { body: ingressApp('1.4.0') });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const status = await e2e.finished('ingress', '1.4.0');
    assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);
    assert.deepEqual(status.sync, { status: 'Synced', revision: '1.4.0' });

    const order = e2e.writes((e) => e.verb === 'patch' && (e.namespace === 'ingress' || e.namespace === '' || e.namespace === undefined))
      .map((e) => `${e.resource}/${e.name}`);
    const at = (name: string) => order.indexOf(name);
    for (const name of ['customresourcedefinitions/ingressparams.example.io', 'jobs/edge-controller-admission-create', 'deployments/edge-controller', 'services/edge-controller', 'clusterroles/edge-controller', 'jobs/edge-controller-admission-patch']) {
      assert.ok(at(name) >= 0, `${name} was applied (${order.join(', ')})`);
    }
    assert.ok(at('jobs/edge-controller-admission-create') < at('deployments/edge-controller'), 'the pre-install hook runs in PreSync, before the Deployment');
    assert.ok(at('deployments/edge-controller') < at('jobs/edge-controller-admission-patch'), 'the post-install hook runs in PostSync, after it');
    assert.ok(!order.some((w) => w.includes('-test')), 'the helm test hook is never applied');

    const deployment = JSON.parse(await e2e.kubectl('get', 'deploy', 'edge-controller', '-n', 'ingress', '-o', 'json'));
    assert.equal(deployment.spec.replicas, 2, 'valuesObject reached the template');
    assert.match(deployment.spec.template.spec.containers[0].args[0], /^--kube=v1\.\d+/, 'Capabilities.KubeVersion is set');
    const deletedHooks = e2e.writes((e) => e.verb === 'delete' && e.name === 'edge-controller-admission-create');
    assert.ok(deletedHooks.length > 0, 'hook-succeeded removed the pre-install Job once it completed');
  });

  it('gives helm the destination cluster\'s version and API versions, from the plan step\'s discovery', async () => {
    const recorded = await waitFor('the cluster capabilities', async () => e2e.store.getClusterCapabilities(LOCAL_CLUSTER));
    assert.equal(recorded.kubeVersion, 'v1.32.0-gitwave-sim');
    for (const groupVersion of ['v1', 'apps/v1', 'batch/v1', 'networking.k8s.io/v1']) assert.ok(recorded.apiVersions.includes(groupVersion), groupVersion);
    // A changed Application renders again, now with what discovery said.
    const app = ingressApp('1.4.0');
    const changed = await e2e.api('/api/applications', { body: { ...app, spec: { ...app.spec, source: { ...app.spec.source, helm: { ...app.spec.source.helm, valuesObject: { replicaCount: 3 } } } } } });
    assert.equal(changed.status, 201, JSON.stringify(changed.body));
    const args = await waitFor('the re-rendered Deployment', async () => {
      const deployment = JSON.parse(await e2e.kubectl('get', 'deploy', 'edge-controller', '-n', 'ingress', '-o', 'json'));
      return deployment.spec.replicas === 3 && deployment.spec.template.spec.containers[0].args[0];
    });
    assert.equal(args, '--kube=v1.32.0-gitwave-sim');
    assert.equal((await e2e.finished('ingress', '1.4.0')).operationState?.phase, 'Succeeded');
  });

  it('refuses a version the repository does not have, naming targetRevision, and deploys nothing more', async () => {
    const before = e2e.writes().length;
    const registered = await e2e.api('/api/applications', { body: ingressApp('9.9.9') });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const refused = await waitFor('the refused version on the status', async () => (await e2e.store.getStatus('ingress'))?.conditions?.find((c) => /targetRevision/.test(c.message))?.message);
    assert.match(refused, /9\.9\.9/);
    assert.equal(e2e.writes().length, before, 'nothing was written to the cluster');
  });

  it('refuses a chart repository the project does not allow, naming spec.source.repoURL, and deploys nothing', async () => {
    const project = { apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'addons', namespace: 'argocd' },
      spec: { sourceRepos: ['https://charts.example/*'], destinations: [{ name: LOCAL_CLUSTER, namespace: '*' }] } };
    assert.equal((await e2e.api('/api/projects', { body: project })).status, 201);
    const before = e2e.writes().length;
    const app = ingressApp('1.4.0');
    const refused = await e2e.api('/api/applications', { body: { ...app, metadata: { name: 'edge-addons', namespace: 'argocd' }, spec: { ...app.spec, project: 'addons' } } });
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(refused.body), /Application\/edge-addons: spec\.source\.repoURL: repository http:\/\/127\.0\.0\.1:\d+ is not permitted in project \\"addons\\"/);
    assert.equal(await e2e.store.getApplication('edge-addons'), undefined);
    assert.equal(e2e.writes().length, before, 'nothing was written to the cluster');
  });
});
