/**
 * Strict schema validation against the Kubernetes v1.32 OpenAPI documents (read in place from
 * ../shared/k8s-openapi/v1.32) and against the CRDs of the same render: unknown fields and wrong
 * types are errors, kinds without a schema are skipped.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { KubeObject } from '../../shared/model/object.ts';
import { crdSchemasOf, SchemaValidator } from '../../shared/render/lint/index.ts';
import { fieldPath } from '../../shared/render/validate/issues.ts';
import { K8S_SCHEMAS } from '../helpers/shared-data.ts';

let validator: SchemaValidator;
before(async () => {
  validator = await SchemaValidator.open(K8S_SCHEMAS);
});

const deploymentWith = (container: Record<string, unknown>, spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', creationTimestamp: null } as never,
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } }, ...spec },
});

const crd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' },
    versions: [{
      name: 'v1', served: true, storage: true,
      schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, port: { 'x-kubernetes-int-or-string': true }, extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } } } } },
    }],
  },
};

describe('schema validation of built-in kinds', () => {
  it('accepts a valid Deployment, null fields included (the API server drops them)', async () => {
    assert.deepEqual(await validator.validate(deploymentWith({}), new Map()), { status: 'valid', issues: [] });
  });

  const invalid: Array<[string, KubeObject, Array<[string, string]>]> = [
    ['an unknown (misspelled) field', deploymentWith({ imagePullPolicyy: 'Always' }), [['spec.template.spec.containers[0].imagePullPolicyy', 'unknown field']]],
    ['a string where an integer belongs', deploymentWith({}, { replicas: '3' }), [['spec.replicas', 'must be an integer']]],
    ['a boolean in an int-or-string', deploymentWith({}, { strategy: { rollingUpdate: { maxSurge: true } } }), [['spec.strategy.rollingUpdate.maxSurge', 'must be an integer or a string']]],
    ['a missing required field', deploymentWith({ name: undefined }), [['spec.template.spec.containers[0].name', 'required field is missing']]],
    ['a number in a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { port: 8080 } }, [['data.port', 'must be a string']]],
    ['an unknown top-level field', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, specc: {} }, [['specc', 'unknown field']]],
  ];
  for (const [label, object, expected] of invalid) {
    it(`reports ${label}`, async () => {
      const result = await validator.validate(JSON.parse(JSON.stringify(object)), new Map());
      assert.equal(result.status, 'invalid');
      assert.deepEqual(result.issues.map((i) => [i.field, i.message]), expected);
      assert.ok(result.issues.every((i) => i.fix.length > 0));
    });
  }

  it('skips a kind no document describes', async () => {
    const result = await validator.validate({ apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'm' }, spec: { anything: 1 } }, new Map());
    assert.equal(result.status, 'no-schema');
  });

  it('refuses a schema folder that does not exist', async () => {
    await assert.rejects(SchemaValidator.open('/nonexistent/schemas'), /schema folder \/nonexistent\/schemas does not exist/);
  });
});

describe('schema validation of custom resources with a CRD in the same render', () => {
  const crds = crdSchemasOf([crd]);
  const widget = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' }, spec });

  it('validates the CRD itself against the apiextensions schema', async () => {
    assert.equal((await validator.validate(crd, crds)).status, 'valid');
  });

  it('accepts a valid resource, int-or-string both ways, and free-form preserved fields', async () => {
    for (const spec of [{ size: 3, port: 80 }, { port: 'http', extra: { any: { thing: true } } }]) {
      assert.equal((await validator.validate(widget(spec), crds)).status, 'valid', JSON.stringify(spec));
    }
  });

  it('reports unknown fields and wrong types', async () => {
    const result = await validator.validate(widget({ size: 'big', colour: 'red' }), crds);
    assert.deepEqual(result.issues.map((i) => [i.field, i.message]), [['spec.colour', 'unknown field'], ['spec.size', 'must be an integer']]);
  });

  it('does not know the kind without its CRD', async () => {
    assert.equal((await validator.validate(widget({ size: 1 }), new Map())).status, 'no-schema');
  });
});

describe('field paths', () => {
  it('writes array items as [i] and unescapes JSON pointer segments', () => {
    assert.equal(fieldPath('/spec/containers/0/env/2/name'), 'spec.containers[0].env[2].name');
    assert.equal(fieldPath('/metadata/annotations/example.com~1team'), 'metadata.annotations.example.com/team');
    assert.equal(fieldPath(''), '');
  });
});
