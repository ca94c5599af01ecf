// Annotation parsing (SPEC-sync §1.2 waves, §2.1/§2.2 hooks and the Helm mapping, §2.4 delete
// policies, §3 sync options): one row per rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compareOptionsOf, csv, hookDeletePolicies, hookPhases, hookTypes, isHook, isSkipped, parseWaveValue, syncOptionsOf, syncWave,
} from '../../shared/model/annotations.ts';
import type { KubeObject } from '../../shared/model/object.ts';

function obj(annotations: Record<string, string>): KubeObject {
  return { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', annotations } };
}

describe('syncWave', () => {
  const cases: Array<[string, Record<string, string>, number]> = [
    ['no annotation → 0', {}, 0],
    ['plain integer', { 'argocd.argoproj.io/sync-wave': '5' }, 5],
    ['negative', { 'argocd.argoproj.io/sync-wave': '-3' }, -3],
    ['explicit plus sign', { 'argocd.argoproj.io/sync-wave': '+2' }, 2],
    ['spaces are invalid → 0', { 'argocd.argoproj.io/sync-wave': ' 2' }, 0],
    ['decimals are invalid → 0', { 'argocd.argoproj.io/sync-wave': '1.5' }, 0],
    ['helm hook-weight when sync-wave is absent', { 'helm.sh/hook-weight': '-2' }, -2],
    ['helm hook-weight when sync-wave is invalid', { 'argocd.argoproj.io/sync-wave': 'x', 'helm.sh/hook-weight': '7' }, 7],
    ['sync-wave wins over hook-weight', { 'argocd.argoproj.io/sync-wave': '1', 'helm.sh/hook-weight': '7' }, 1],
    ['both invalid → 0', { 'argocd.argoproj.io/sync-wave': '', 'helm.sh/hook-weight': 'y' }, 0],
  ];
  for (const [name, annotations, wave] of cases) it(name, () => assert.equal(syncWave(obj(annotations)), wave));
  it('rejects integers beyond the safe range', () => assert.equal(parseWaveValue('99999999999999999999'), undefined));
});

describe('hooks', () => {
  const hook = (v: string) => obj({ 'argocd.argoproj.io/hook': v });
  const helm = (v: string) => obj({ 'helm.sh/hook': v });
  const cases: Array<[string, KubeObject, boolean, string[]]> = [
    ['a PreSync hook', hook('PreSync'), true, ['PreSync']],
    ['list trimmed and de-duplicated', hook(' PostSync ,Sync,PostSync'), true, ['Sync', 'PostSync']],
    ['case-sensitive: presync is not a type', hook('presync'), true, []],
    ['Skip alone is not a hook', hook('Skip'), false, []],
    ['Skip with others: Skip ignored', hook('Skip,PreSync'), true, ['PreSync']],
    ['only PreDelete: a hook with no sync phase', hook('PreDelete'), true, []],
    ['a bogus value: a hook with no sync phase', hook('Whatever'), true, []],
    ['SyncFail', hook('SyncFail'), true, ['SyncFail']],
    ['helm pre-install → PreSync', helm('pre-install'), true, ['PreSync']],
    ['helm pre-upgrade,post-upgrade → PreSync, PostSync', helm('pre-upgrade,post-upgrade'), true, ['PreSync', 'PostSync']],
    ['helm post-install → PostSync', helm('post-install'), true, ['PostSync']],
    ['helm test: a hook with no sync phase', helm('test'), true, []],
    ['helm pre-rollback: a hook with no sync phase', helm('pre-rollback'), true, []],
    ['helm crd-install is not a hook', helm('crd-install'), false, []],
    ['an Argo type makes helm types ignored', obj({ 'argocd.argoproj.io/hook': 'PostSync', 'helm.sh/hook': 'pre-install' }), true, ['PostSync']],
    ['no Argo type falls back to helm types', obj({ 'argocd.argoproj.io/hook': 'bogus', 'helm.sh/hook': 'pre-install' }), true, ['PreSync']],
    ['no annotation', obj({}), false, []],
  ];
  for (const [name, o, hookExpected, phases] of cases) {
    it(name, () => {
      assert.equal(isHook(o), hookExpected);
      assert.deepEqual(hookPhases(o), phases);
    });
  }
  it('Skip alone is skipped, Skip with others is not', () => {
    assert.equal(isSkipped(hook('Skip')), true);
    assert.equal(isSkipped(hook('Skip,Sync')), false);
  });
  it('keeps PreDelete and PostDelete as types for the deletion flow', () => {
    assert.deepEqual(hookTypes(hook('PreDelete,PostDelete')), ['PreDelete', 'PostDelete']);
    assert.deepEqual(hookTypes(helm('pre-delete')), ['PreDelete']);
  });
});

describe('hookDeletePolicies', () => {
  const cases: Array<[string, Record<string, string>, string[]]> = [
    ['BeforeHookCreation by default', {}, ['BeforeHookCreation']],
    ['Argo policies', { 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' }, ['HookSucceeded', 'HookFailed']],
    ['helm policies mapped', { 'helm.sh/hook-delete-policy': 'hook-succeeded,before-hook-creation' }, ['HookSucceeded', 'BeforeHookCreation']],
    ['Argo and helm unioned', { 'argocd.argoproj.io/hook-delete-policy': 'HookFailed', 'helm.sh/hook-delete-policy': 'hook-succeeded' }, ['HookFailed', 'HookSucceeded']],
    ['unknown values dropped, default kept', { 'argocd.argoproj.io/hook-delete-policy': 'Never' }, ['BeforeHookCreation']],
  ];
  for (const [name, annotations, policies] of cases) it(name, () => assert.deepEqual(hookDeletePolicies(obj(annotations)), policies));
});

describe('options', () => {
  it('reads sync-options as Key=Value pairs', () => {
    const options = syncOptionsOf(obj({ 'argocd.argoproj.io/sync-options': 'Prune=false, Validate=false' }));
    assert.deepEqual([...options], [['Prune', 'false'], ['Validate', 'false']]);
  });
  it('reads compare-options, flags without a value included', () => {
    const options = compareOptionsOf(obj({ 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous,ServerSideDiff=true' }));
    assert.equal(options.get('IgnoreExtraneous'), '');
    assert.equal(options.get('ServerSideDiff'), 'true');
  });
  it('csv drops empty entries', () => assert.deepEqual(csv('a,,b, '), ['a', 'b']));
});
