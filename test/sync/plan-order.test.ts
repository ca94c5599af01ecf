// Ordering rules of a plan (SPEC-sync §1.2–§1.5): one fixture per scenario, the expected steps written
// as `phase wave action kind name`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planScenario, stepLines } from './helpers.ts';

const START = 1700000000;

const cases: Array<{ rule: string; fixture: string; steps: string[] }> = [
  {
    rule: '§1.3 waves first, then kind rank, names byte-wise; unlisted kinds after listed ones, compared by name only; hook-weight as wave',
    fixture: 'order-kinds-waves',
    steps: [
      'Sync -1 apply Ingress web',
      'Sync 0 apply ConfigMap B-config',
      'Sync 0 apply ConfigMap b-config',
      'Sync 0 apply Service web',
      'Sync 0 apply Deployment web',
      'Sync 0 apply Zulu aa',
      'Sync 0 apply Alpha zz',
      'Sync 2 apply ServiceAccount web',
      'Sync 2 apply ClusterRole reader',
    ],
  },
  {
    rule: '§1.3 hooks and resources of one (phase, wave) interleave; a hook gets one task per phase; SyncFail last',
    fixture: 'hooks-interleaved',
    steps: [
      `PreSync 0 apply Job migrate-abcdef0-presync-${START}`,
      'PreSync 3 apply Pod before',
      'Sync 0 apply ConfigMap z-config',
      'Sync 0 apply Service web',
      'Sync 0 apply Deployment web',
      'Sync 0 apply Job a-sync-hook',
      `PostSync 0 apply Job migrate-abcdef0-postsync-${START}`,
      'SyncFail 0 apply Job on-failure',
    ],
  },
  {
    rule: '§1.3 fix-up: a Namespace moves before the first task in it, taking its phase and wave (#5522)',
    fixture: 'namespace-fixup',
    steps: [
      'PreSync 0 apply Namespace team',
      'PreSync 0 apply Job prepare',
      'Sync 0 apply ConfigMap elsewhere',
      'Sync 0 apply ConfigMap settings',
    ],
  },
  {
    rule: '§1.3 fix-up: a CRD moves before the first resource of its group/kind',
    fixture: 'crd-fixup',
    steps: [
      'Sync 0 apply ConfigMap config',
      'Sync 0 apply CustomResourceDefinition widgets.example.com',
      'Sync 0 apply Widget first',
    ],
  },
  {
    rule: '§1.4 prune waves mirrored; §1.5 PruneLast after the last Sync wave; Prune=false listed as skipped',
    fixture: 'prune',
    steps: [
      'Sync 0 prune Deployment old-wave2',
      'Sync 1 prune Secret old-wave1',
      'Sync 1 apply ConfigMap kept',
      'Sync 2 prune ConfigMap keep-me [Prune=false]',
      'Sync 2 prune ConfigMap old-wave0',
      'Sync 3 prune ConfigMap last',
    ],
  },
  {
    rule: '§2.4 BeforeHookCreation deletes a live named hook first; HookSucceeded alone re-applies in place (#3837)',
    fixture: 'before-hook-creation',
    steps: [
      'PreSync 0 delete-before-create PersistentVolumeClaim scratch',
      'PreSync 0 apply PersistentVolumeClaim scratch',
      'PostSync 0 apply Job fresh',
      'PostSync 0 apply Job report',
    ],
  },
  {
    rule: '§2.1 Skip: no task, live not pruned; hooks with no sync phase dropped; helm crd-install is a resource',
    fixture: 'skip-and-ignored',
    steps: ['Sync 0 apply ConfigMap crd-install'],
  },
];

describe('plan order', () => {
  for (const c of cases) {
    it(c.rule, () => {
      const plan = planScenario(c.fixture, { startedAt: START });
      assert.deepEqual(plan.errors, []);
      assert.deepEqual(stepLines(plan), c.steps);
    });
  }

  it('§1.5 app-level PruneLast moves every prune after the last Sync wave', () => {
    const plan = planScenario('prune', { syncOptions: ['PruneLast=true'] });
    const prunes = stepLines(plan).filter((l) => l.includes(' prune '));
    assert.ok(prunes.every((l) => l.startsWith('Sync 3 ')), prunes.join('\n'));
  });

  it('§1.4 prune tasks are listed as "prune disabled" when the operation does not prune', () => {
    const plan = planScenario('prune', { prune: false });
    const prunes = stepLines(plan).filter((l) => l.includes(' prune '));
    assert.equal(prunes.length, 5);
    assert.ok(prunes.every((l) => l.endsWith('[prune disabled]')), prunes.join('\n'));
  });

  it('§3 CreateNamespace: a create-namespace step first, in PreSync at the lowest wave; cluster-scoped namespace is null', () => {
    const plan = planScenario('create-namespace', { destinationNamespace: 'shop', syncOptions: ['CreateNamespace=true'] });
    assert.deepEqual(stepLines(plan), [
      'PreSync -4 create-namespace Namespace shop',
      'PreSync 0 apply Job pre',
      'Sync -4 apply ConfigMap early',
      'Sync 0 apply ClusterRole reader',
    ]);
    assert.equal(plan.namespaceTaskId, '/Namespace//shop:PreSync');
    const role = plan.tasks.find((t) => t.key.kind === 'ClusterRole')!;
    assert.equal(role.target?.metadata.namespace, undefined);
    assert.equal(role.target?.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'app:rbac.authorization.k8s.io/ClusterRole:shop/reader');
  });

  it('§3 CreateNamespace: no step when the namespace exists live with its managed metadata', () => {
    const live = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'a' } } }];
    const managed = { destinationNamespace: 'shop', syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { team: 'a' } } };
    assert.ok(!stepLines(planScenario('create-namespace', managed, { live })).some((l) => l.includes('create-namespace')));
    const changed = { ...managed, managedNamespaceMetadata: { labels: { team: 'b' } } };
    const plan = planScenario('create-namespace', changed, { live });
    assert.equal(stepLines(plan)[0], 'PreSync -4 create-namespace Namespace shop');
    assert.equal(plan.namespaceTaskId, undefined, 'an existing namespace is not made before the dry run');
  });
});
