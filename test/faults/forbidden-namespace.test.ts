// SECURITY.md §7 rows 22 and 26 through the planner as the engine wires it (shared/engine's
// projectCheck over a real AppProject): an object in kube-system, or `kube-system/aws-auth`, fails the
// whole sync at plan, naming the object and the rule, and the first tick applies nothing.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAppProject } from '../../shared/model/appproject.ts';
import type { Cluster } from '../../shared/model/cluster.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { isBuiltinServed, scopeOf } from '../../shared/model/kinds.ts';
import { projectCheck } from '../../shared/engine/cluster-policy.ts';
import { planSync } from '../../shared/sync/plan.ts';
import { tick } from '../../shared/sync/tick.ts';
import { settings } from '../sync/helpers.ts';
import { fixture } from '../model/helpers.ts';

const guarded = parseAppProject(fixture('appproject-guarded.yaml'), 'guarded.yaml');
const cluster: Cluster = { name: 'dev', server: 'https://dev.example', labels: {}, connection: { kubeconfig: '/dev/null' } as never };
const facts = { isServed: isBuiltinServed, scope: (group: string, kind: string) => scopeOf(group, kind) };

const app: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'web' }, data: { a: '1' } };
const intruders: Array<[string, KubeObject]> = [
  ['row 22: an object in kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns-extra', namespace: 'kube-system' }, data: {} }],
  ['row 26: a manifest writing kube-system/aws-auth', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data: { mapRoles: '[]' } }],
];

describe('forbidden namespaces at plan (SECURITY.md §7 rows 22, 26)', () => {
  for (const [label, intruder] of intruders) {
    it(`§7 ${label}: the whole sync is refused at plan, naming it, and nothing is applied`, () => {
      const input = { desired: [app, intruder], live: [], settings: settings({ destinationNamespace: 'web' }), isServed: facts.isServed, checkProject: projectCheck(guarded, cluster, facts) };
      const plan = planSync(input);
      assert.equal(plan.errors.length, 1, JSON.stringify(plan.errors));
      assert.match(plan.errors[0].message, /kube-system/);
      const decision = tick({ ...input, state: { phase: 'Running', message: '', startedAt: 1700000000, revision: 'abcdef0123456789', retryCount: 0, results: {} } });
      assert.equal(decision.stages.length, 0, 'nothing applied, not even the permitted ConfigMap');
      assert.match(decision.settle.ok.message, /not valid: .*kube-system/);
    });
  }
});
