/**
 * Schemas that CustomResourceDefinitions in the same render give to their custom resources: each
 * served version's `schema.openAPIV3Schema`, made strict the same way as the Kubernetes documents.
 * The API server always accepts `apiVersion`, `kind` and `metadata` on a custom resource, so they
 * are added to a schema that lists its properties without them.
 */
import { isRecord, type KubeObject } from '../../model/object.ts';
import { strict } from './openapi.ts';

export interface CrdSchema {
  /** A unique `$id` for ajv. */
  id: string;
  schema: Record<string, unknown>;
}

/** CRD schemas by `group/version/kind`. */
export type CrdSchemas = ReadonlyMap<string, CrdSchema>;

/** The key of a custom resource's schema. */
export function crdSchemaKey(apiVersion: string, kind: string): string {
  return `${apiVersion.includes('/') ? apiVersion : `/${apiVersion}`}/${kind}`;
}

/**
 * The schemas of every `apiextensions.k8s.io/v1` CRD among `objects`.
 * @example crdSchemasOf([crd]).has('example.com/v1/Widget') // true
 */
export function crdSchemasOf(objects: readonly KubeObject[]): Map<string, CrdSchema> {
  const schemas = new Map<string, CrdSchema>();
  for (const object of objects) {
    if (object.kind !== 'CustomResourceDefinition' || object.apiVersion !== 'apiextensions.k8s.io/v1' || !isRecord(object.spec)) continue;
    const { group, names, versions } = object.spec;
    if (typeof group !== 'string' || !isRecord(names) || typeof names.kind !== 'string' || !Array.isArray(versions)) continue;
    for (const version of versions.filter(isRecord)) {
      const openApi = isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined;
      if (typeof version.name !== 'string' || !isRecord(openApi)) continue;
      const key = crdSchemaKey(`${group}/${version.name}`, names.kind);
      schemas.set(key, { id: `crd:${key}`, schema: withObjectFields(strict(openApi) as Record<string, unknown>) });
    }
  }
  return schemas;
}

function withObjectFields(schema: Record<string, unknown>): Record<string, unknown> {
  if (!isRecord(schema.properties)) return schema;
  return { ...schema, properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties } };
}
