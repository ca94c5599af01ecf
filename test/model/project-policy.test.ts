// Every rule of SPEC-sync §7.2, and SECURITY.md's aws-auth refusal, against real AppProject fixtures.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseApplication } from '../../shared/model/application.ts';
import { DEFAULT_PROJECT, parseAppProject } from '../../shared/model/appproject.ts';
import {
  checkApplication, checkDestination, checkResourcePermitted, checkSourceRepo, type DestinationRef, type ResourceRef,
} from '../../shared/model/project-policy.ts';
import { fixture } from './helpers.ts';

const teamA = parseAppProject(fixture('appproject-team-a.yaml'), 'a.yaml');
const locked = parseAppProject(fixture('appproject-locked.yaml'), 'locked.yaml');
const nothing = parseAppProject(fixture('appproject-nothing.yaml'), 'nothing.yaml');
const denyKubeSystem = parseAppProject(fixture('appproject-guarded.yaml'), 'guarded.yaml');

describe('checkSourceRepo', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['team-a glob', 'https://github.com/acme/team-a-web', undefined],
    ['team-a glob, ssh form', 'git@github.com:acme/team-a-web.git', undefined],
    ['pattern written in ssh form, URL in https form', 'https://GitHub.com/acme/shared-config', undefined],
    ['a deny wins over a matching allow', 'https://github.com/acme/team-a-secrets.git',
      'repository https://github.com/acme/team-a-secrets.git is denied in project "team-a"'],
    ['no pattern matches', 'https://github.com/evil/team-a-web', 'repository https://github.com/evil/team-a-web is not permitted in project "team-a"'],
    ['credentials never shown', 'https://bot:ghp_TOKEN@github.com/evil/x', 'repository https://github.com/evil/x is not permitted in project "team-a"'],
  ];
  for (const [title, url, expected] of cases) {
    it(title, () => assert.equal(checkSourceRepo(teamA, url), expected));
  }
  it('the default project allows any repository; an empty list allows none', () => {
    assert.equal(checkSourceRepo(DEFAULT_PROJECT, 'git@gitlab.example:any/thing.git'), undefined);
    const empty = { ...teamA, spec: { ...teamA.spec, sourceRepos: [] } };
    assert.equal(checkSourceRepo(empty, 'https://github.com/acme/team-a-web'), 'repository https://github.com/acme/team-a-web is not permitted in project "team-a"');
  });
});

describe('checkDestination', () => {
  const cases: Array<[string, typeof teamA, DestinationRef, string | undefined]> = [
    ['server and namespace glob match', teamA, { server: 'https://dev.example', namespace: 'team-a-web' }, undefined],
    ['name match', teamA, { name: 'staging', namespace: 'team-a' }, undefined],
    ['server matches but namespace does not', teamA, { server: 'https://dev.example', namespace: 'team-b' },
      'destination server https://dev.example, namespace team-b is not permitted in project "team-a"'],
    ['name matches but namespace does not', teamA, { name: 'staging', namespace: 'team-b' },
      'destination name staging, namespace team-b is not permitted in project "team-a"'],
    ['a deny entry on the server wins over an allow by name', teamA, { server: 'https://prod.example', name: 'staging', namespace: 'team-a' },
      'destination server https://prod.example, namespace team-a is denied in project "team-a"'],
    ['a namespace deny wins over a catch-all allow', denyKubeSystem, { server: 'https://dev.example', namespace: 'kube-system' },
      'destination server https://dev.example, namespace kube-system is denied in project "guarded"'],
    ['the catch-all still allows other namespaces', denyKubeSystem, { server: 'https://dev.example', namespace: 'web' }, undefined],
    ['a name-only destination does not match a server-only entry', locked, { name: 'dev', namespace: 'locked' },
      'destination name dev, namespace locked is not permitted in project "locked"'],
    ['an entry without namespace matches only cluster-scoped destinations', teamA, { server: 'https://dev.example' },
      'destination server https://dev.example, namespace (none) is not permitted in project "team-a"'],
    ['the default project allows every server', DEFAULT_PROJECT, { server: 'https://any.example', namespace: 'kube-system' }, undefined],
    ['the default project allows every name', DEFAULT_PROJECT, { name: 'prod' }, undefined],
  ];
  for (const [title, project, destination, expected] of cases) {
    it(title, () => assert.equal(checkDestination(project, destination), expected));
  }
});

describe('checkResourcePermitted', () => {
  const ns = (group: string, kind: string, namespace = 'team-a-web', name = 'x'): ResourceRef => ({ group, kind, namespace, name, scope: 'Namespaced' });
  const cl = (group: string, kind: string, name = 'x'): ResourceRef => ({ group, kind, namespace: '', name, scope: 'Cluster' });
  const cases: Array<[string, typeof teamA, ResourceRef, string | undefined]> = [
    ['aws-auth is refused even by the default project', DEFAULT_PROJECT, ns('', 'ConfigMap', 'kube-system', 'aws-auth'),
      'kube-system/aws-auth is managed through EKS access entries; gitwave never writes it'],
    ['a ConfigMap named aws-auth elsewhere is fine', DEFAULT_PROJECT, ns('', 'ConfigMap', 'web', 'aws-auth'), undefined],
    ['the default project allows cluster-scoped kinds', DEFAULT_PROJECT, cl('rbac.authorization.k8s.io', 'ClusterRole'), undefined],
    ['a whitelisted cluster kind', teamA, cl('', 'Namespace', 'team-a-web'), undefined],
    ['a whitelisted cluster kind within its name glob', teamA, cl('rbac.authorization.k8s.io', 'ClusterRole', 'team-a-reader'), undefined],
    ['a whitelisted cluster kind outside its name glob', teamA, cl('rbac.authorization.k8s.io', 'ClusterRole', 'admin'),
      'cluster-scoped resource rbac.authorization.k8s.io/ClusterRole is not permitted in project "team-a" (not in clusterResourceWhitelist)'],
    ['a blacklisted cluster kind', teamA, cl('rbac.authorization.k8s.io', 'ClusterRoleBinding'),
      'cluster-scoped resource rbac.authorization.k8s.io/ClusterRoleBinding is denied in project "team-a" (clusterResourceBlacklist)'],
    ['a cluster kind not whitelisted (CRD)', teamA, cl('apiextensions.k8s.io', 'CustomResourceDefinition'),
      'cluster-scoped resource apiextensions.k8s.io/CustomResourceDefinition is not permitted in project "team-a" (not in clusterResourceWhitelist)'],
    ['an empty cluster whitelist denies every cluster kind', locked, cl('', 'Namespace'),
      'cluster-scoped resource Namespace is not permitted in project "locked" (not in clusterResourceWhitelist)'],
    ['an unset namespaced whitelist allows all', teamA, ns('apps', 'Deployment'), undefined],
    ['a namespaced blacklist entry', teamA, ns('', 'ResourceQuota'),
      'namespaced resource ResourceQuota is denied in project "team-a" (namespaceResourceBlacklist)'],
    ['a namespaced blacklist kind glob', teamA, ns('networking.k8s.io', 'NetworkPolicy'),
      'namespaced resource networking.k8s.io/NetworkPolicy is denied in project "team-a" (namespaceResourceBlacklist)'],
    ['a namespaced whitelist match', locked, ns('apps', 'Deployment', 'locked'), undefined],
    ['a namespaced whitelist brace glob', locked, ns('', 'ConfigMap', 'locked'), undefined],
    ['a kind outside the namespaced whitelist', locked, ns('', 'Secret', 'locked'),
      'namespaced resource Secret is not permitted in project "locked" (not in namespaceResourceWhitelist)'],
    ['the group matters, not only the kind', locked, ns('extensions', 'Deployment', 'locked'),
      'namespaced resource extensions/Deployment is not permitted in project "locked" (not in namespaceResourceWhitelist)'],
    ['an empty namespaced whitelist allows none', nothing, ns('', 'ConfigMap', 'web'),
      'namespaced resource ConfigMap is not permitted in project "nothing" (not in namespaceResourceWhitelist)'],
    ['with a destination, the object namespace must be permitted (a hook aimed at kube-system)', teamA,
      { ...ns('batch', 'Job', 'kube-system'), destination: { server: 'https://dev.example' } },
      'destination server https://dev.example, namespace kube-system is denied in project "team-a"'],
    ['with a destination, a permitted namespace passes', teamA, { ...ns('batch', 'Job'), destination: { server: 'https://dev.example' } }, undefined],
  ];
  for (const [title, project, resource, expected] of cases) {
    it(title, () => assert.equal(checkResourcePermitted(project, resource), expected));
  }
});

describe('checkApplication', () => {
  const app = parseApplication(fixture('application-full.yaml'), 'application-full.yaml');

  it('lists every reason a project refuses an Application', () => {
    assert.deepEqual(checkApplication(teamA, app), [
      'spec.project: application belongs to project "web", not "team-a"',
      'spec.source.repoURL: repository git@github.com:acme/web-config.git is not permitted in project "team-a"',
      'spec.destination: destination server https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com, namespace web is not permitted in project "team-a"',
    ]);
  });

  it('passes under a project that allows it, resolving a destination name through the cluster', () => {
    const web = { ...DEFAULT_PROJECT, metadata: { ...DEFAULT_PROJECT.metadata, name: 'web' } };
    assert.deepEqual(checkApplication(web, app), []);
    const minimal = parseApplication(fixture('application-minimal.yaml'), 'application-minimal.yaml');
    const byServer = { ...locked, spec: { ...locked.spec, destinations: [{ server: 'https://dev.example', namespace: '' }] } };
    assert.deepEqual(checkApplication({ ...byServer, metadata: { ...byServer.metadata, name: 'default' } }, minimal,
      { name: 'dev', server: 'https://dev.example' }), []);
  });
});
