/**
 * The OpenAPI v3 documents: read in place from a schemas directory (`api/v1.json.gz`,
 * `apis/<group>/<version>.json.gz`, gzipped or not), synthesised for CRD group-versions from their
 * `openAPIV3Schema`, and, without a directory, minimal documents that carry just what kubectl needs
 * to validate on the server (each kind's `patch` operation with `x-kubernetes-action`,
 * `x-kubernetes-group-version-kind` and a `fieldValidation` parameter). Served at `/openapi/v3`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Registry, ResourceType } from './registry.ts';
import { minimalDocument, customResourceDocument } from './openapi-docs.ts';

/** A parsed OpenAPI v3 document. */
export interface Doc {
  paths: Record<string, any>;
  components: { schemas: Record<string, any> };
  [key: string]: unknown;
}

interface Served {
  /** Bytes as stored (gzip when `gzipped`). */
  bytes: Buffer;
  gzipped: boolean;
  hash: string;
}

const META_SCHEMA = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

export class OpenApi {
  private readonly files = new Map<string, string>();
  private readonly parsed = new Map<string, Doc>();
  private readonly served = new Map<string, Served>();
  /** CRD schemas by group-version path, then kind. */
  private readonly custom = new Map<string, Map<string, { schema: any; type: ResourceType }>>();

  constructor(
    readonly dir: string | undefined,
    private readonly registry: Registry,
  ) {
    if (dir) this.scan(dir);
  }

  /** Whether real schemas are loaded (else validation and list merge keys fall back). */
  get hasSchemas(): boolean {
    return this.files.size > 0;
  }

  /** `api/v1` or `apis/apps/v1`: the OpenAPI path of a group-version. */
  static pathOf(group: string, version: string): string {
    return group ? `apis/${group}/${version}` : `api/${version}`;
  }

  /** The `/openapi/v3` index: every served group-version with a hash-stamped URL. */
  index(): Record<string, unknown> {
    const paths: Record<string, unknown> = {};
    for (const [group, versions] of this.registry.groups()) {
      for (const version of versions) {
        const path = OpenApi.pathOf(group, version);
        paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${this.document(path)!.hash}` };
      }
    }
    return { paths };
  }

  /** The document served at `/openapi/v3/<path>`, if the group-version is served. */
  document(path: string): Served | undefined {
    const cached = this.served.get(path);
    if (cached) return cached;
    const custom = this.custom.get(path);
    if (custom) return this.remember(path, customResourceDocument(this.metaSchemas(), [...custom.values()]));
    const file = this.files.get(path);
    if (file) {
      const bytes = readFileSync(file);
      const entry = { bytes, gzipped: file.endsWith('.gz'), hash: digest(bytes) };
      this.served.set(path, entry);
      return entry;
    }
    const types = this.registry.all().filter((r) => OpenApi.pathOf(r.group, r.version) === path);
    return types.length ? this.remember(path, minimalDocument(types)) : undefined;
  }

  /** The parsed real document of a group-version (only from the schemas directory). */
  parsedDoc(group: string, version: string): Doc | undefined {
    const path = OpenApi.pathOf(group, version);
    const custom = this.custom.get(path);
    if (custom) return customResourceDocument(this.metaSchemas(), [...custom.values()]);
    if (this.parsed.has(path)) return this.parsed.get(path);
    const file = this.files.get(path);
    if (!file) return undefined;
    const raw = readFileSync(file);
    const doc = JSON.parse((file.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')) as Doc;
    this.parsed.set(path, doc);
    return doc;
  }

  /** Registers (or with `undefined`, drops) the schema of a custom resource kind. */
  setCustomSchema(type: ResourceType, schema: any | undefined): void {
    const path = OpenApi.pathOf(type.group, type.version);
    const kinds = this.custom.get(path) ?? new Map();
    if (schema === undefined) kinds.delete(type.kind);
    else kinds.set(type.kind, { schema, type });
    if (kinds.size) this.custom.set(path, kinds);
    else this.custom.delete(path);
    this.served.delete(path);
  }

  private remember(path: string, doc: Doc): Served {
    const json = Buffer.from(JSON.stringify(doc));
    const entry = { bytes: json, gzipped: false, hash: digest(json) };
    this.served.set(path, entry);
    return entry;
  }

  /** ObjectMeta and the schemas it refers to, from the core document (for CRD documents). */
  private metaSchemas(): Record<string, any> {
    const core = this.parsedDoc('', 'v1');
    if (!core) return {};
    const out: Record<string, any> = {};
    const visit = (name: string) => {
      if (out[name] || !core.components.schemas[name]) return;
      out[name] = core.components.schemas[name];
      for (const ref of JSON.stringify(out[name]).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) visit(ref[1]);
    };
    visit(META_SCHEMA);
    return out;
  }

  private scan(dir: string): void {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { recursive: true, withFileTypes: false }) as string[]) {
      const match = /^(api\/[^/]+|apis\/[^/]+\/[^/]+)\.json(\.gz)?$/.exec(entry.split('\\').join('/'));
      if (match) this.files.set(match[1], join(dir, entry));
    }
  }
}

function digest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32).toUpperCase();
}
