/**
 * Synthesised OpenAPI v3 documents: the minimal one kubectl needs to validate on the server (used when
 * no schemas directory is given), and the document of a CRD group-version built from each version's
 * `openAPIV3Schema`. kubectl reads the `patch` operation of the object's path: when it carries
 * `x-kubernetes-action: patch`, the kind and a `fieldValidation` parameter, kubectl sends
 * `fieldValidation=Strict` instead of falling back to the protobuf `/openapi/v2`.
 */
import type { Doc } from './openapi.ts';
import type { ResourceType } from './registry.ts';

const META_REF = '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  in: 'query',
  name,
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/** The schema name a kind gets in a synthesised document. */
function schemaName(r: ResourceType): string {
  return `${r.group || 'core'}.${r.version}.${r.kind}`;
}

function gvk(r: ResourceType): Record<string, string>[] {
  return [{ group: r.group, version: r.version, kind: r.kind }];
}

function operation(r: ResourceType, action: string, verb: string): Record<string, unknown> {
  const ref = { $ref: `#/components/schemas/${schemaName(r)}` };
  return {
    operationId: `${verb}${r.kind}`,
    parameters: QUERY_PARAMS,
    requestBody: { content: { 'application/json': { schema: ref }, 'application/apply-patch+yaml': { schema: ref } } },
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk(r)[0],
  };
}

/** The paths of one resource: collection (post, list) and item (get, put, patch, delete). */
function pathsOf(r: ResourceType): Record<string, unknown> {
  const prefix = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  return {
    [collection]: { post: operation(r, 'post', 'create'), get: operation(r, 'list', 'list') },
    [`${collection}/{name}`]: {
      get: operation(r, 'get', 'read'),
      put: operation(r, 'put', 'replace'),
      patch: operation(r, 'patch', 'patch'),
      delete: operation(r, 'delete', 'delete'),
    },
  };
}

/** The minimal document of a group-version: paths as above, each kind's schema open to any field. */
export function minimalDocument(types: ResourceType[]): Doc {
  const schemas: Record<string, unknown> = {};
  let paths: Record<string, unknown> = {};
  for (const r of types) {
    paths = { ...paths, ...pathsOf(r) };
    schemas[schemaName(r)] = {
      type: 'object',
      'x-kubernetes-group-version-kind': gvk(r),
      'x-kubernetes-preserve-unknown-fields': true,
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (gitwave simulator, minimal)', version: 'unversioned' }, paths, components: { schemas } };
}

/** The document of a CRD group-version: each kind's schema with apiVersion, kind and metadata added. */
export function customResourceDocument(metaSchemas: Record<string, any>, kinds: Array<{ schema: any; type: ResourceType }>): Doc {
  const hasMeta = Object.keys(metaSchemas).length > 0;
  const schemas: Record<string, unknown> = { ...metaSchemas };
  let paths: Record<string, unknown> = {};
  for (const { schema, type } of kinds) {
    paths = { ...paths, ...pathsOf(type) };
    const properties = { ...(schema?.properties ?? {}) };
    properties.apiVersion = { type: 'string' };
    properties.kind = { type: 'string' };
    properties.metadata = hasMeta ? { allOf: [{ $ref: META_REF }] } : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
    schemas[schemaName(type)] = {
      ...(schema ?? { 'x-kubernetes-preserve-unknown-fields': true }),
      type: 'object',
      properties,
      'x-kubernetes-group-version-kind': gvk(type),
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' }, paths, components: { schemas } };
}
