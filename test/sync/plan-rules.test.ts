// Task generation, validation and per-task options of a plan (SPEC-sync §1.1, §2.3, §2.8, §3).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HOOK_FINALIZER } from '../../shared/sync/hooks.ts';
import { planSync } from '../../shared/sync/plan.ts';
import { formatPlanText, toPlanSteps } from '../../shared/sync/steps.ts';
import { loadScenario, planScenario, settings, stepLines } from './helpers.ts';

describe('task generation', () => {
  it('§2.3 a generateName hook is named <generateName><rev7>-<phase>-<start>, lowercase, revision whole when shorter than 8', () => {
    const short = planScenario('hooks-interleaved', { revision: 'ABC1234', startedAt: 1650650648 });
    assert.ok(stepLines(short)[0].endsWith('migrate-abc1234-presync-1650650648'));
    const long = planScenario('hooks-interleaved', { revision: '6CCFE74AB', startedAt: 1650650648 });
    assert.ok(stepLines(long)[0].endsWith('migrate-6ccfe74-presync-1650650648'));
  });

  it('§2.3 created hooks carry the hook finalizer and the tracking id; hooks without a namespace get the destination', () => {
    const plan = planScenario('hooks-interleaved', { destinationNamespace: 'apps' });
    const hook = plan.tasks.find((t) => t.key.name === 'a-sync-hook')!;
    assert.deepEqual(hook.target?.metadata.finalizers, [HOOK_FINALIZER]);
    assert.equal(hook.target?.metadata.namespace, 'apps');
    assert.equal(hook.target?.metadata.annotations?.['argocd.argoproj.io/tracking-id'], 'app:batch/Job:apps/a-sync-hook');
    const resource = plan.tasks.find((t) => t.key.kind === 'Service')!;
    assert.equal(resource.target?.metadata.finalizers, undefined);
  });

  it('§2.3 same generateName in the same phase is rejected; a hook with no name at all too', () => {
    const plan = planScenario('generate-name-collision');
    assert.equal(plan.errors.length, 2);
    assert.match(plan.errors[0].message, /neither metadata.name nor metadata.generateName/);
    assert.match(plan.errors[1].message, /same generateName collide/);
  });

  it('§8 #9184 warns when a generated hook name passes 63 characters', () => {
    const desired = [{ apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'a-very-long-generate-name-for-a-database-migration-', annotations: { 'argocd.argoproj.io/hook': 'PreSync' } } }];
    const plan = planSync({ desired, settings: settings() });
    assert.match(plan.warnings[0].message, /longer than 63 characters/);
  });

  it('§2.8 hooks are skipped by the apply strategy', () => {
    const plan = planScenario('hooks-interleaved', { skipHooks: true });
    assert.deepEqual(stepLines(plan), ['Sync 0 apply Service web', 'Sync 0 apply Deployment web']);
  });

  it('§2.8 a selective sync keeps only the listed resources and skips hooks (#9830)', () => {
    const plan = planScenario('prune', { resources: [{ group: '', kind: 'ConfigMap', namespace: 'default', name: 'old-wave0' }] });
    assert.deepEqual(stepLines(plan), ['Sync 0 prune ConfigMap old-wave0']);
    const hooks = planScenario('hooks-interleaved', { resources: [{ group: 'apps', kind: 'Deployment', namespace: 'default', name: 'web' }] });
    assert.deepEqual(stepLines(hooks), ['Sync 0 apply Deployment web']);
  });

  it('§1.1 a repeated key: the last manifest wins, with a warning', () => {
    const plan = planScenario('shared-and-aliases');
    const twice = plan.tasks.find((t) => t.key.name === 'twice')!;
    assert.equal(twice.target?.metadata.labels?.copy, 'second');
    assert.match(plan.warnings[0].message, /appears more than once/);
  });

  it('§1.1 live duplicates under aliased groups (same UID) collapse: the alias is not pruned', () => {
    const plan = planScenario('shared-and-aliases');
    assert.ok(!stepLines(plan).some((l) => l.includes('prune')), stepLines(plan).join('\n'));
    assert.equal(plan.tasks.find((t) => t.key.kind === 'Ingress')?.live?.apiVersion, 'networking.k8s.io/v1');
  });

  it('§1.1 a namespaced object with no namespace and no destination namespace is an error', () => {
    const plan = planScenario('order-kinds-waves', { destinationNamespace: '' });
    assert.match(plan.errors.map((e) => e.message).join('\n'), /ConfigMap "b-config" is namespaced but names no namespace/);
    assert.ok(!plan.errors.some((e) => e.key?.kind === 'ClusterRole'));
  });
});

describe('validation (§1.1 step 4)', () => {
  const { desired } = loadScenario('options');
  const served = (apiVersion: string) => apiVersion !== 'example.com/v1';

  it('an unknown kind without a cluster is planned as namespaced, reported "must exist on the cluster"', () => {
    const plan = planSync({ desired, settings: settings() });
    assert.deepEqual(plan.errors, []);
    assert.match(plan.warnings[0].message, /example.com\/Gadget .* must exist on the cluster/);
    assert.equal(plan.tasks.find((t) => t.key.name === 'refused')?.key.namespace, 'default');
  });

  it('a GVK the cluster does not serve fails unless SkipDryRunOnMissingResource=true', () => {
    const plan = planSync({ desired, settings: settings(), isServed: served });
    assert.equal(plan.errors.length, 1);
    assert.match(plan.errors[0].message, /does not serve example.com\/v1 Gadget .*refused/);
    assert.equal(plan.tasks.find((t) => t.key.name === 'tolerated')?.skipDryRun, true);
  });

  it('app-level SkipDryRunOnMissingResource=true lets every missing GVK through', () => {
    const plan = planSync({ desired, settings: settings({ syncOptions: ['SkipDryRunOnMissingResource=true'] }), isServed: served });
    assert.deepEqual(plan.errors, []);
  });

  it('a CRD in the same sync makes its resources skip the dry run (#2873)', () => {
    const plan = planScenario('crd-fixup', {}, { isServed: served });
    assert.deepEqual(plan.errors, []);
    assert.deepEqual(plan.tasks.filter((t) => t.skipDryRun).map((t) => t.key.name), ['first']);
  });

  it('a removed built-in version is not served', () => {
    const deployment = { apiVersion: 'apps/v1beta2', kind: 'Deployment', metadata: { name: 'old' } };
    assert.match(planSync({ desired: [deployment], settings: settings() }).errors[0].message, /does not serve apps\/v1beta2 Deployment/);
  });

  it('the project check fails forbidden desired objects and drops forbidden live ones from pruning (§7.2)', () => {
    const checkProject = (task: { key: { kind: string } }) => (task.key.kind === 'Deployment' ? 'apps/Deployment is not permitted in project p' : undefined);
    const plan = planScenario('prune', {}, { checkProject });
    assert.deepEqual(plan.errors, []);
    assert.ok(!stepLines(plan).some((l) => l.includes('Deployment')));
    const desired = planScenario('hooks-interleaved', {}, { checkProject });
    assert.deepEqual(desired.errors.map((e) => e.message), ['apps/Deployment is not permitted in project p']);
  });

  it('server-side dry run: objects in a namespace this sync creates skip it', () => {
    const plan = planScenario('namespace-fixup');
    assert.deepEqual(plan.tasks.filter((t) => t.skipDryRun).map((t) => t.key.name), ['prepare', 'settings']);
  });
});

describe('sync options (§3)', () => {
  it('resolves per-task options from the target, the live object and the app', () => {
    const plan = planScenario('options', { syncOptions: ['Replace=true'], force: false });
    const task = (name: string) => plan.tasks.find((t) => t.key.name === name)!.options;
    assert.equal(task('unvalidated').validate, false);
    assert.equal(task('unvalidated').replace, true);
    assert.equal(task('forced').force, true);
    assert.equal(task('forced').replace, false, 'Replace=false on the object opts out of the app setting');
    assert.equal(task('client-side').replace, true);
    assert.equal(task('client-side').validate, true);
  });

  it('ServerSideApply=false is accepted and reported as ignored', () => {
    const plan = planScenario('options', { syncOptions: ['ServerSideApply=false'] });
    const messages = plan.warnings.map((w) => w.message);
    assert.ok(messages.includes('ServerSideApply=false is ignored: gitwave always applies server-side'));
    assert.ok(messages.some((m) => m.startsWith('/ConfigMap/default/client-side: ServerSideApply=false is ignored')));
  });

  it('PrunePropagationPolicy and Prune=confirm approval', () => {
    assert.equal(planScenario('prune').propagationPolicy, 'foreground');
    assert.equal(planScenario('prune', { syncOptions: ['PrunePropagationPolicy=orphan'] }).propagationPolicy, 'orphan');
    assert.equal(planScenario('prune', { deletionApprovedAt: '2023-11-14T22:13:20Z' }).pruneConfirmed, true);
    assert.equal(planScenario('prune', { deletionApprovedAt: '2023-11-14T22:13:19Z' }).pruneConfirmed, false);
    assert.equal(planScenario('prune').pruneConfirmed, false);
  });

  it('ApplyOutOfSyncOnly marks unmodified existing resources unchanged, never hooks or new ones', () => {
    const isModified = (key: { name: string }) => key.name !== 'kept';
    const plan = planScenario('prune', { syncOptions: ['ApplyOutOfSyncOnly=true'] }, { isModified });
    assert.ok(stepLines(plan).includes('Sync 1 apply ConfigMap kept [unchanged]'));
    const without = planScenario('prune', {}, { isModified });
    assert.ok(stepLines(without).includes('Sync 1 apply ConfigMap kept'));
  });

  it('FailOnSharedResource=true fails on a desired object tracked by another app', () => {
    const plan = planScenario('shared-and-aliases', { syncOptions: ['FailOnSharedResource=true'] });
    assert.equal(plan.sharedResourceError, 'Shared resource found: /ConfigMap/default/shared is tracked by application other');
    assert.equal(planScenario('shared-and-aliases').sharedResourceError, undefined);
  });
});

describe('plan output', () => {
  it('toPlanSteps gives the issue-2 JSON shape', () => {
    const steps = toPlanSteps(planScenario('create-namespace', { destinationNamespace: 'shop', syncOptions: ['CreateNamespace=true'] }));
    assert.deepEqual(steps[0], { phase: 'PreSync', wave: -4, group: '', kind: 'Namespace', namespace: null, name: 'shop', hook: false, action: 'create-namespace' });
    assert.deepEqual(steps[1], { phase: 'PreSync', wave: 0, group: 'batch', kind: 'Job', namespace: 'shop', name: 'pre', hook: true, action: 'apply' });
  });

  it('formatPlanText groups by phase and wave and lists warnings and errors', () => {
    const text = formatPlanText(planScenario('generate-name-collision'));
    assert.match(text, /^PreSync wave 0\n {2}apply +batch\/Job +default\/migrate-abcdef0-presync-1700000000 {2}\(hook\)\nPreSync wave 1\n/);
    assert.match(text, /error: two PreSync tasks/);
    assert.equal(formatPlanText(planSync({ desired: [], settings: settings() })), 'nothing to do\n');
  });
});
