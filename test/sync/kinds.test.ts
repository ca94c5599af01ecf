// The built-in kind table against the Kubernetes v1.32 OpenAPI documents (read in place), and the
// scope lookup with CRDs of the render.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { builtinKinds, crdKinds, isBuiltinServed, scopeOf } from '../../shared/model/kinds.ts';
import { parseYaml } from './helpers.ts';
import { K8S_SCHEMAS } from '../helpers/shared-data.ts';

const OPENAPI = K8S_SCHEMAS;

/** `group/kind` → scope, from the paths of every OpenAPI document (a `{namespace}` path = namespaced). */
function scopesFromOpenApi(): Map<string, string> {
  const files = readdirSync(OPENAPI, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json.gz'));
  const scopes = new Map<string, string>();
  for (const file of files) {
    const doc = JSON.parse(gunzipSync(readFileSync(join(OPENAPI, file))).toString());
    for (const [path, item] of Object.entries<Record<string, any>>(doc.paths)) {
      const post = item.post ?? item.get;
      const gvk = post?.['x-kubernetes-group-version-kind'];
      if (!gvk || /\{name\}/.test(path) || gvk.kind.endsWith('List')) continue;
      const key = `${gvk.group}/${gvk.kind}`;
      if (path.includes('{namespace}')) scopes.set(key, 'Namespaced');
      else if (!scopes.has(key) && !path.includes('/watch/')) scopes.set(key, 'Cluster');
    }
  }
  return scopes;
}

describe('built-in kinds', () => {
  it('match the scopes of the Kubernetes OpenAPI documents', () => {
    const scopes = scopesFromOpenApi();
    for (const k of builtinKinds()) {
      const fromDocs = scopes.get(`${k.group}/${k.kind}`);
      if (fromDocs !== undefined) assert.equal(k.scope, fromDocs, `${k.group}/${k.kind}`);
    }
    for (const key of ['/ConfigMap', 'apps/Deployment', 'rbac.authorization.k8s.io/ClusterRole', '/Namespace']) {
      assert.equal(scopeOf(key.split('/')[0], key.split('/')[1]), scopes.get(key));
    }
  });
  it('covers the groups the planner must know', () => {
    const groups = new Set(builtinKinds().map((k) => k.group));
    for (const g of ['', 'apps', 'batch', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'policy', 'autoscaling', 'apiextensions.k8s.io',
      'coordination.k8s.io', 'storage.k8s.io', 'admissionregistration.k8s.io', 'scheduling.k8s.io', 'discovery.k8s.io', 'node.k8s.io',
      'certificates.k8s.io', 'apiregistration.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io']) assert.ok(groups.has(g), g);
  });
  it('knows served versions', () => {
    assert.equal(isBuiltinServed('apps/v1', 'Deployment'), true);
    assert.equal(isBuiltinServed('extensions/v1beta1', 'Ingress'), false);
    assert.equal(isBuiltinServed('autoscaling/v2', 'HorizontalPodAutoscaler'), true);
  });
});

describe('scopeOf', () => {
  const crds = parseYaml(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions: [{name: v1, served: true, storage: true}]
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: clusterwidgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: ClusterWidget, plural: clusterwidgets}
  versions: [{name: v1, served: true, storage: true}, {name: v0, served: false, storage: false}]
`);
  it('adds the kinds of CRDs in the render', () => {
    assert.equal(scopeOf('example.com', 'Widget', crds), 'Namespaced');
    assert.equal(scopeOf('example.com', 'ClusterWidget', crds), 'Cluster');
    assert.deepEqual(crdKinds(crds).get('example.com/ClusterWidget')?.versions, ['v1']);
  });
  it('returns undefined for a kind known to neither', () => assert.equal(scopeOf('example.com', 'Gadget', crds), undefined));
});
