/**
 * Strict JSON schemas from the Kubernetes OpenAPI v3 documents (one gzipped JSON per group-version,
 * laid out as the API server serves them: `api/v1.json.gz`, `apis/apps/v1.json.gz`). The documents
 * are data read from a folder chosen at run time, never copied into the repository. Each document is
 * loaded the first time a kind of its group-version is validated.
 *
 * "Strict" is `kubeval --strict`: an object schema that lists its properties gets
 * `additionalProperties: false`, so an unknown (misspelled) field is an error; maps and free-form
 * fields (`x-kubernetes-preserve-unknown-fields`) stay open.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isRecord, groupOf, versionOf } from '../../model/object.ts';

/** A loaded group-version document: its strict schemas and the kinds it defines. */
export interface OpenApiDocument {
  id: string;
  schemas: Record<string, unknown>;
  kinds: Map<string, string>;
}

/** The file of a group-version inside the schemas folder. */
function documentPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `apis/${groupOf(apiVersion)}/${versionOf(apiVersion)}.json.gz` : `api/${apiVersion}.json.gz`;
}

/**
 * The document of `apiVersion` from `dir`, or undefined when the folder has none for it.
 * @throws Error when the file exists but is not a gzipped OpenAPI document.
 */
export async function loadDocument(dir: string, apiVersion: string): Promise<OpenApiDocument | undefined> {
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion)) return undefined;
  const file = join(dir, documentPath(apiVersion));
  let raw: Buffer;
  try {
    raw = await readFile(file);
  } catch {
    return undefined;
  }
  const parsed: unknown = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
  const schemas = isRecord(parsed) && isRecord(parsed.components) && isRecord(parsed.components.schemas) ? parsed.components.schemas : undefined;
  if (!schemas) throw new Error(`${documentPath(apiVersion)} is not an OpenAPI v3 document (no components.schemas)`);
  return { id: `k8s:${apiVersion}`, schemas: strictSchemas(schemas), kinds: kindsOf(schemas, groupOf(apiVersion), versionOf(apiVersion)) };
}

/** kind → schema name, from `x-kubernetes-group-version-kind`. */
function kindsOf(schemas: Record<string, unknown>, group: string, version: string): Map<string, string> {
  const kinds = new Map<string, string>();
  for (const [name, schema] of Object.entries(schemas)) {
    const gvks = isRecord(schema) && Array.isArray(schema['x-kubernetes-group-version-kind']) ? schema['x-kubernetes-group-version-kind'] : [];
    for (const gvk of gvks.filter(isRecord)) {
      if (gvk.group === group && gvk.version === version && typeof gvk.kind === 'string') kinds.set(gvk.kind, name);
    }
  }
  return kinds;
}

function strictSchemas(schemas: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, strict(schema)]));
}

/**
 * A schema made strict (see the module comment); Kubernetes extensions that mean something for
 * validation are translated: int-or-string, embedded resources, preserved unknown fields.
 */
export function strict(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strict);
  if (!isRecord(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description' || key === 'example') continue;
    out[key] = key === 'properties' && isRecord(value) ? mapValues(value, strict) : key === 'enum' || key === 'required' || key === 'default' ? value : strict(value);
  }
  if (schema['x-kubernetes-int-or-string'] === true && !('oneOf' in out) && !('anyOf' in out)) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema['x-kubernetes-embedded-resource'] === true && isRecord(out.properties)) {
    out.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...out.properties };
  }
  const open = schema['x-kubernetes-preserve-unknown-fields'] === true || 'additionalProperties' in schema;
  if (isRecord(out.properties) && !open) out.additionalProperties = false;
  return out;
}

function mapValues(record: Record<string, unknown>, f: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
}
