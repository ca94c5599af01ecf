// The registry and the webhook's lookup through the byRepository GSI: normalised repository + exact ref.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseApplication, type Application } from '../../shared/model/application.ts';
import { DEFAULT_PROJECT, parseAppProject } from '../../shared/model/appproject.ts';
import { parseCluster } from '../../shared/model/cluster.ts';
import { ItemTooLargeError, MAX_SOURCE_YAML_BYTES, trackedRefOf } from '../../shared/store/index.ts';
import { useDynamo } from './helpers.ts';

const fixture = useDynamo();
const read = (name: string) => readFileSync(new URL(`../fixtures/model/${name}`, import.meta.url), 'utf8');
const minimalYaml = read('application-minimal.yaml');
const minimal = parseApplication(minimalYaml, 'application-minimal.yaml');

function app(name: string, repoURL: string, targetRevision: string): Application {
  return { ...minimal, metadata: { ...minimal.metadata, name }, spec: { ...minimal.spec, source: { ...minimal.spec.source, repoURL, targetRevision } } };
}

describe('trackedRefOf', () => {
  const cases: Array<[string, string | undefined]> = [
    ['main', 'refs/heads/main'], ['refs/tags/v1', 'refs/tags/v1'], ['refs/heads/x', 'refs/heads/x'],
    ['HEAD', 'HEAD'], ['0123456789abcdef0123456789abcdef01234567', undefined],
  ];
  for (const [revision, ref] of cases) it(`${revision} → ${ref}`, () => assert.equal(trackedRefOf(revision), ref));
});

describe('registry', () => {
  it('stores an Application with the YAML as registered, and lists and deletes it', async () => {
    const { store, clock } = await fixture();
    await store.putApplication(minimal, { sourceYaml: minimalYaml });
    assert.deepEqual(await store.getApplication('guestbook'), {
      app: minimal, sourceYaml: minimalYaml, trackedRef: 'HEAD', updatedAt: new Date(clock.t).toISOString(),
    });
    await store.putApplication(app('other', 'https://github.com/acme/x', 'main'));
    assert.deepEqual((await store.listApplications()).map((a) => a.app.metadata.name), ['guestbook', 'other']);
    const [listed] = await store.listApplications({ withoutSourceYaml: true });
    assert.deepEqual(listed, { app: minimal, trackedRef: 'HEAD', updatedAt: new Date(clock.t).toISOString() });
    await store.deleteApplication('guestbook');
    assert.equal(await store.getApplication('guestbook'), undefined);
  });

  it('refuses source YAML too large for one item', async () => {
    const { store } = await fixture();
    await assert.rejects(store.putApplication(minimal, { sourceYaml: 'x'.repeat(MAX_SOURCE_YAML_BYTES + 1) }), ItemTooLargeError);
  });

  it('finds Applications by repository and exact ref, telling a branch and a tag of one name apart', async () => {
    const { store } = await fixture();
    await store.putApplication(app('on-branch', 'https://github.com/acme/web.git', 'x'));
    await store.putApplication(app('on-tag', 'git@github.com:acme/web.git', 'x'), { trackedRef: 'refs/tags/x' });
    await store.putApplication(app('other-repo', 'https://github.com/acme/api', 'x'));
    await store.putApplication(app('pinned', 'https://github.com/acme/web', '0123456789abcdef0123456789abcdef01234567'));
    await store.putApplication(app('on-main', 'https://GitHub.com/Acme/Web', 'main'));
    assert.deepEqual(await store.findApplications(['github.com/acme/web'], 'refs/heads/x'), [{ name: 'on-branch' }]);
    assert.deepEqual(await store.findApplications(['github.com/acme/web'], 'refs/tags/x'), [{ name: 'on-tag' }]);
    assert.deepEqual(await store.findApplications(['https://github.com/acme/web.git', 'git@github.com:acme/web.git'], 'refs/heads/main'), [{ name: 'on-main' }]);
    assert.deepEqual(await store.findApplications(['github.com/acme/elsewhere'], 'refs/heads/x'), []);
  });

  it('moves an Application in the index when its revision changes', async () => {
    const { store } = await fixture();
    await store.putApplication(app('web', 'https://github.com/acme/web', 'main'));
    await store.putApplication(app('web', 'https://github.com/acme/web', 'release'));
    assert.deepEqual(await store.findApplications(['github.com/acme/web'], 'refs/heads/main'), []);
    assert.deepEqual(await store.findApplications(['github.com/acme/web'], 'refs/heads/release'), [{ name: 'web' }]);
  });

  it('stores projects, falling back to the built-in default project', async () => {
    const { store } = await fixture();
    assert.equal(await store.getProject('default'), DEFAULT_PROJECT);
    assert.equal(await store.getProject('team-a'), undefined);
    const teamA = parseAppProject(read('appproject-team-a.yaml'), 'appproject-team-a.yaml');
    await store.putProject(teamA);
    assert.deepEqual(await store.getProject('team-a'), teamA);
    assert.deepEqual((await store.listProjects()).map((p) => p.metadata.name), ['default', 'team-a']);
    const ownDefault = { ...teamA, metadata: { ...teamA.metadata, name: 'default' } };
    await store.putProject(ownDefault);
    assert.deepEqual(await store.getProject('default'), ownDefault);
    assert.deepEqual((await store.listProjects()).map((p) => p.metadata.name), ['default', 'team-a']);
  });

  it('stores clusters', async () => {
    const { store } = await fixture();
    const dev = parseCluster(read('cluster/eks-dev.yaml'), 'eks-dev.yaml');
    const local = parseCluster(read('cluster/local.yaml'), 'local.yaml');
    await store.putCluster(dev);
    await store.putCluster(local);
    assert.deepEqual(await store.getCluster('dev'), dev);
    assert.deepEqual((await store.listClusters()).map((c) => c.name), ['dev', 'local']);
    assert.equal(await store.getCluster('prod'), undefined);
  });
});
