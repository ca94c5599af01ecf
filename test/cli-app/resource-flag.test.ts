// `gitwave app sync --resource`: Argo CD's GROUP:KIND:[NAMESPACE/]NAME, as the API's resources field takes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseResourceFlag } from '../../cli/commands/app.ts';

test('reads GROUP:KIND:NAME and GROUP:KIND:NAMESPACE/NAME, the core group empty', () => {
  assert.deepEqual(parseResourceFlag('apps:Deployment:orders-dev/orders-grpc'), { group: 'apps', kind: 'Deployment', namespace: 'orders-dev', name: 'orders-grpc' });
  assert.deepEqual(parseResourceFlag(':ConfigMap:orders-dev/orders-config'), { group: '', kind: 'ConfigMap', namespace: 'orders-dev', name: 'orders-config' });
  assert.deepEqual(parseResourceFlag('rbac.authorization.k8s.io:ClusterRole:viewer'), { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'viewer' });
});

test('refuses anything else, naming the flag and the expected shape', () => {
  for (const bad of ['Deployment/web', 'apps:Deployment', 'apps::web', 'a:b:c/d/e', '']) {
    assert.throws(() => parseResourceFlag(bad), /--resource .*expected GROUP:KIND:NAME or GROUP:KIND:NAMESPACE\/NAME/, bad);
  }
});
