// App of apps end to end on the local runtime: a parent Application whose folder in the sample
// repository holds two Application documents registers them as children on its first sync (nothing of
// argoproj.io reaches the cluster); registering a child queues its first render at once (the drift
// schedule is off here and nobody sweeps), so the children render and deploy their own folders; a push removing one child's document makes the parent prune it: it is
// unregistered, its ConfigMap stays in the cluster, and the other child stays.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startE2E, waitFor, type E2E } from './helpers/runtime.ts';

let e2e: E2E;

before(async () => { e2e = await startE2E(); });
after(async () => {
  await e2e?.rt.settle();
  await e2e?.stop();
});

const REPO = 'https://github.com/gitwave-demo/platform-manifests.git';

function childDoc(name: string, wave?: number): string {
  const annotations = wave === undefined ? '' : `, annotations: { argocd.argoproj.io/sync-wave: "${wave}" }`;
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd${annotations} }
spec:
  project: default
  source: { repoURL: '${REPO}', targetRevision: main, path: children/${name} }
  destination: { name: local, namespace: ${name} }
  syncPolicy: { automated: { prune: true }, syncOptions: [CreateNamespace=true] }
`;
}

function configMap(name: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ${name}-settings }\ndata: { owner: ${name} }\n`;
}

async function configMapOf(namespace: string): Promise<string | undefined> {
  try {
    return JSON.parse(await e2e.kubectl('get', 'configmap', `${namespace}-settings`, '-n', namespace, '-o', 'json')).data.owner;
  } catch {
    return undefined;
  }
}

function parentDoc(name: string, path: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name, namespace: 'argocd', annotations },
    spec: {
      project: 'default', source: { repoURL: REPO, targetRevision: 'main', path },
      destination: { name: 'local', namespace: 'argocd' }, syncPolicy: { automated: { prune: true } },
    },
  };
}

describe('app of apps on the local runtime', () => {
  it('registers the children of a parent, which then deploy their own folders', async () => {
    e2e.commit({
      'app-of-apps/aoa-a.yaml': childDoc('aoa-a'), 'app-of-apps/aoa-b.yaml': childDoc('aoa-b'),
      'children/aoa-a/cm.yaml': configMap('aoa-a'), 'children/aoa-b/cm.yaml': configMap('aoa-b'),
    }, 'an app of apps');
    const registered = await e2e.api('/api/applications', { body: parentDoc('aoa-root', 'app-of-apps') });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const status = await e2e.finished('aoa-root', e2e.head());
    assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);
    for (const name of ['aoa-a', 'aoa-b']) assert.equal((await e2e.store.getApplication(name))?.parent, 'aoa-root', `${name} registered as a child`);
    assert.deepEqual(e2e.writes((e) => e.group === 'argoproj.io'), [], 'no Application was written to the cluster');

    // No sweep: the parent's apply-wave queued each child's first render when it registered it.
    const queued = e2e.rt.queueSpy.getAllMessages().filter((m) => m.service === 'sqs' && m.status === 'published' && /"app":"aoa-[ab]"/.test(m.body));
    assert.equal(queued.length, 2, 'one render request per new child');
    for (const name of ['aoa-a', 'aoa-b']) {
      assert.equal(await waitFor(`${name}'s ConfigMap`, () => configMapOf(name)), name);
    }
  });

  it('unregisters a child removed from Git when the parent prunes, keeping its objects', async () => {
    const sha = e2e.commit({ 'app-of-apps/aoa-b.yaml': null }, 'drop child b');
    assert.equal((await e2e.push()).status, 202);
    const status = await e2e.finished('aoa-root', sha);
    assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);
    assert.equal(await e2e.store.getApplication('aoa-b'), undefined, 'aoa-b is unregistered');
    assert.equal((await e2e.store.getApplication('aoa-a'))?.parent, 'aoa-root');
    assert.equal(await configMapOf('aoa-b'), 'aoa-b', 'the pruned child\'s objects stay in the cluster');
  });

  it('a parent waiting for its children on its own cluster lets the writer run them, wave after wave, and resumes', async () => {
    e2e.commit({
      'waves/aoa-w0.yaml': childDoc('aoa-w0', 0), 'waves/aoa-w1.yaml': childDoc('aoa-w1', 1),
      'children/aoa-w0/cm.yaml': configMap('aoa-w0'), 'children/aoa-w1/cm.yaml': configMap('aoa-w1'),
    }, 'an app of apps whose waves wait for each other');
    const registered = await e2e.api('/api/applications', { body: parentDoc('aoa-waves', 'waves', { 'gitwave.dev/wait-for-children': 'true' }) });
    assert.equal(registered.status, 201, JSON.stringify(registered.body));
    const status = await e2e.finished('aoa-waves', e2e.head());
    assert.equal(status.operationState?.phase, 'Succeeded', status.operationState?.message);

    const w0 = await e2e.store.getStatus('aoa-w0');
    assert.equal(w0?.operationState?.phase, 'Succeeded', 'the wave-0 child synced before the parent went on');
    assert.equal(w0?.health?.status, 'Healthy');
    // The last wave is not waited for (as for any object), so the wave-1 child may still be syncing.
    const w1 = await waitFor('the wave-1 child to finish its sync', async () => {
      const seen = await e2e.store.getStatus('aoa-w1');
      return seen?.operationState?.finishedAt ? seen.operationState : undefined;
    });
    assert.equal(w1.phase, 'Succeeded', w1.message);
    assert.ok(Date.parse(w1.startedAt) >= Date.parse(w0?.operationState?.finishedAt ?? ''), 'the wave-1 child started after the wave-0 child ended');
    for (const name of ['aoa-w0', 'aoa-w1']) assert.equal(await waitFor(`${name}'s ConfigMap`, () => configMapOf(name)), name);
    const record = await e2e.store.getOperation('aoa-waves', status.operationState?.syncId ?? '');
    assert.match((record?.result as { execution?: string } | undefined)?.execution ?? '', /-w\d+r\d+$/, 'the parent ended its run for its children, and a later round resumed it');
  });
});
