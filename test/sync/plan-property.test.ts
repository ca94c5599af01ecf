// Property: the plan order is total and deterministic whatever the input order of the manifests and
// of the live objects (SPEC-sync §1.3 plus the namespace/group/kind tie-break of issue 2).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { KubeObject } from '../../shared/model/object.ts';
import { compareTasks } from '../../shared/sync/order.ts';
import { planSync } from '../../shared/sync/plan.ts';
import { toPlanSteps } from '../../shared/sync/steps.ts';
import { settings } from './helpers.ts';

const kinds: Array<[string, string]> = [
  ['v1', 'ConfigMap'], ['v1', 'Service'], ['v1', 'Namespace'], ['apps/v1', 'Deployment'], ['batch/v1', 'Job'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['example.com/v1', 'Widget'], ['other.io/v1', 'Widget'], ['example.com/v1', 'Gadget'],
];

const annotations = fc.record({
  'argocd.argoproj.io/sync-wave': fc.option(fc.constantFrom('-1', '0', '1', '2', 'x'), { nil: undefined }),
  'argocd.argoproj.io/hook': fc.option(fc.constantFrom('PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PreSync,PostSync'), { nil: undefined }),
  'argocd.argoproj.io/tracking-id': fc.constant(undefined),
}, { requiredKeys: [] });

const manifest = fc.record({
  kind: fc.constantFrom(...kinds),
  name: fc.constantFrom('a', 'b', 'B', 'web', 'é'),
  namespace: fc.constantFrom(undefined, 'default', 'team'),
  annotations,
}).map(({ kind, name, namespace, annotations: a }): KubeObject => {
  const clean = Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as Record<string, string>;
  return { apiVersion: kind[0], kind: kind[1], metadata: { name, ...(namespace ? { namespace } : {}), annotations: clean } };
});

/** A live copy tracked to the app, so that it becomes a prune candidate when nothing desires it. */
function tracked(obj: KubeObject): KubeObject {
  const [group] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : [''];
  const cluster = obj.kind === 'Namespace' || obj.kind === 'ClusterRole';
  const namespace = cluster ? '' : obj.metadata.namespace ?? 'default';
  const id = `app:${group}/${obj.kind}:${namespace || 'default'}/${obj.metadata.name}`;
  return { ...obj, metadata: { ...obj.metadata, namespace: namespace || undefined, annotations: { 'argocd.argoproj.io/tracking-id': id } } };
}

/** The key the planner resolves: cluster-scoped kinds have no namespace, others default to `default`. */
function resolvedKey(obj: KubeObject): string {
  const cluster = obj.kind === 'Namespace' || obj.kind === 'ClusterRole';
  return JSON.stringify([obj.apiVersion.split('/')[0], obj.kind, cluster ? '' : obj.metadata.namespace ?? 'default', obj.metadata.name]);
}

function plan(desired: KubeObject[], live: KubeObject[]) {
  return planSync({ desired, live, settings: settings({ syncOptions: ['CreateNamespace=true'] }) });
}

describe('plan order property', () => {
  it('is the same whatever the input order', () => {
    fc.assert(fc.property(
      // Unique keys: with a repeated key the last manifest wins (Argo CD's rule), so order matters there.
      fc.uniqueArray(manifest, { maxLength: 14, selector: resolvedKey }),
      fc.array(manifest, { maxLength: 6 }),
      fc.func(fc.integer()),
      (desired, extraLive, shuffleKey) => {
        const live = extraLive.map(tracked);
        const shuffle = <T>(xs: T[]) => xs.map((x, i) => ({ x, k: shuffleKey(i) })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const first = toPlanSteps(plan(desired, live));
        const second = toPlanSteps(plan(shuffle([...desired]).reverse(), shuffle([...live])));
        assert.deepEqual(second, first);
      },
    ), { numRuns: 150 });
  });

  it('orders tasks totally: distinct tasks never compare equal, and the comparison is antisymmetric', () => {
    fc.assert(fc.property(fc.array(manifest, { maxLength: 12 }), (desired) => {
      const tasks = plan(desired, []).tasks;
      for (const a of tasks) {
        for (const b of tasks) {
          const ab = Math.sign(compareTasks(a, b));
          assert.ok(ab === -Math.sign(compareTasks(b, a)), `${a.id} vs ${b.id}`);
          if (a !== b && a.id !== b.id) assert.notEqual(ab, 0, `${a.id} ~ ${b.id}`);
        }
      }
    }), { numRuns: 150 });
  });
});
