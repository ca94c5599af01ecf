import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_PROJECT, parseAppProject, parseAppProjectObject, parseAppProjects } from '../../shared/model/appproject.ts';
import { fixture, modelErrorOf } from './helpers.ts';

describe('parseAppProject', () => {
  it('reads repositories, destinations and the four resource lists as written', () => {
    const project = parseAppProject(fixture('appproject-team-a.yaml'), 'appproject-team-a.yaml');
    assert.equal(project.metadata.name, 'team-a');
    assert.deepEqual(project.spec, {
      description: "Team A's services",
      sourceRepos: ['https://github.com/acme/team-a-*', '!https://github.com/acme/team-a-secrets', 'git@github.com:acme/shared-config.git'],
      destinations: [
        { server: 'https://dev.example', namespace: 'team-a-*' },
        { name: 'staging', namespace: 'team-a' },
        { server: '*', namespace: '!kube-*' },
        { server: '!https://prod.example', namespace: '*' },
      ],
      clusterResourceWhitelist: [{ group: '', kind: 'Namespace' }, { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'team-a-*' }],
      clusterResourceBlacklist: [{ group: '*', kind: 'ClusterRoleBinding' }],
      namespaceResourceBlacklist: [{ group: '', kind: 'ResourceQuota' }, { group: 'networking.k8s.io', kind: '*' }],
    });
  });

  it('keeps an unset namespaceResourceWhitelist apart from an empty one', () => {
    const teamA = parseAppProject(fixture('appproject-team-a.yaml'), 'a.yaml');
    const nothing = parseAppProject(fixture('appproject-nothing.yaml'), 'n.yaml');
    assert.equal('namespaceResourceWhitelist' in teamA.spec, false);
    assert.deepEqual(nothing.spec.namespaceResourceWhitelist, []);
    assert.deepEqual(nothing.spec.clusterResourceWhitelist, []);
  });

  it('accepts an empty syncWindows list, which asks for nothing', () => {
    const locked = parseAppProject(fixture('appproject-locked.yaml'), 'locked.yaml');
    assert.equal('syncWindows' in locked.spec, false);
    assert.equal(locked.spec.namespaceResourceWhitelist?.length, 2);
  });

  it('reads every project of a multi-document stream and decoded JSON alike', () => {
    const text = `${fixture('appproject-locked.yaml')}---\n${fixture('appproject-nothing.yaml')}`;
    assert.deepEqual(parseAppProjects(text, 'all.yaml').map((p) => p.metadata.name), ['locked', 'nothing']);
    const fromJson = parseAppProjectObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'empty' } }, 'body');
    assert.deepEqual(fromJson.spec, {
      sourceRepos: [], destinations: [], clusterResourceWhitelist: [], clusterResourceBlacklist: [], namespaceResourceBlacklist: [],
    });
  });

  it('provides the built-in default project of Argo CD', () => {
    assert.equal(DEFAULT_PROJECT.metadata.name, 'default');
    assert.deepEqual(DEFAULT_PROJECT.spec.sourceRepos, ['*']);
    assert.deepEqual(DEFAULT_PROJECT.spec.destinations, [{ server: '*', name: '*', namespace: '*' }]);
    assert.deepEqual(DEFAULT_PROJECT.spec.clusterResourceWhitelist, [{ group: '*', kind: '*' }]);
    assert.equal(DEFAULT_PROJECT.spec.namespaceResourceWhitelist, undefined);
    assert.ok(Object.isFrozen(DEFAULT_PROJECT));
  });
});

const REFUSALS: Array<[file: string, message: string]> = [
  ['sync-windows.yaml', 'sync-windows.yaml:8: AppProject/bad: spec.syncWindows: sync windows are not enforced yet; remove them (gitwave would deploy during a freeze)'],
  ['roles.yaml', 'roles.yaml:8: AppProject/bad: spec.roles: project roles are not supported; access is granted through IAM'],
  ['signature-keys.yaml', 'signature-keys.yaml:8: AppProject/bad: spec.signatureKeys: commit signature verification is not supported yet'],
  ['orphaned.yaml', 'orphaned.yaml:8: AppProject/bad: spec.orphanedResources: orphaned resource monitoring is not supported yet'],
  ['source-namespaces.yaml', 'source-namespaces.yaml:7: AppProject/bad: spec.sourceNamespaces: Applications in any namespace are not supported yet'],
  ['destination-no-server.yaml', 'destination-no-server.yaml:8: AppProject/bad: spec.destinations[0]: one of server and name is required'],
  ['whitelist-no-kind.yaml', 'whitelist-no-kind.yaml:8: AppProject/bad: spec.clusterResourceWhitelist[0].kind: required'],
  ['namespaced-name.yaml', 'namespaced-name.yaml:10: AppProject/bad: spec.namespaceResourceWhitelist[0].name: unknown field'],
  ['repos-not-list.yaml', 'repos-not-list.yaml:6: AppProject/bad: spec.sourceRepos: expected array, got string'],
];

describe('AppProject refusals', () => {
  for (const [file, message] of REFUSALS) {
    it(`refuses ${file} naming file, object and field`, () => {
      assert.equal(modelErrorOf(() => parseAppProject(fixture(`project-refused/${file}`), file)).message, message);
    });
  }
});
