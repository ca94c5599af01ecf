/**
 * Strict schema validation of rendered objects with ajv: Kubernetes kinds against the OpenAPI v3
 * documents of a chosen version (openapi.ts), custom resources against the openAPIV3Schema of a CRD
 * in the same render (crd.ts). A kind with no schema anywhere is skipped and reported as such, as
 * `kubeval --ignore-missing-schemas` did. Null fields are dropped before validation, as the API
 * server drops them (`creationTimestamp: null` from `kubectl create --dry-run` is fine).
 */
import { Ajv, type ErrorObject, type Format, type ValidateFunction } from 'ajv';
import { stat } from 'node:fs/promises';
import { isRecord, type KubeObject } from '../../model/object.ts';
import { crdSchemaKey, type CrdSchemas } from './crd.ts';
import { describeErrors, type SchemaIssue } from './issues.ts';
import { loadDocument, type OpenApiDocument } from './openapi.ts';

export type { SchemaIssue } from './issues.ts';

export interface SchemaResult {
  /** `no-schema`: neither the Kubernetes documents nor a CRD of the render describe the kind. */
  status: 'valid' | 'invalid' | 'no-schema';
  issues: SchemaIssue[];
}

/** The OpenAPI formats Kubernetes uses; `int-or-string` is checked by its anyOf, so always passes. */
const FORMATS: Record<string, Format> = {
  int32: { type: 'number', validate: (v: number) => Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 },
  int64: { type: 'number', validate: (v: number) => Number.isInteger(v) },
  double: { type: 'number', validate: () => true },
  float: { type: 'number', validate: () => true },
  byte: { type: 'string', validate: (v: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(v.replace(/\s/g, '')) },
  'date-time': { type: 'string', validate: (v: string) => !Number.isNaN(Date.parse(v)) },
  'int-or-string': true,
};

export class SchemaValidator {
  // optimize: false halves the compile time of the large Pod schemas; validation stays fast.
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, formats: FORMATS, code: { optimize: false } });
  private readonly documents = new Map<string, Promise<OpenApiDocument | undefined>>();
  private readonly compiled = new Map<string, ValidateFunction | undefined>();

  private constructor(readonly dir: string) {}

  /**
   * A validator reading the documents in `dir` (e.g. `../shared/k8s-openapi/v1.32`).
   * @throws Error when the folder does not exist.
   */
  static async open(dir: string): Promise<SchemaValidator> {
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) throw new Error(`schema folder ${dir} does not exist`);
    return new SchemaValidator(dir);
  }

  /** Validates one object; `crds` are the CRD schemas of the same render. */
  async validate(object: KubeObject, crds: CrdSchemas): Promise<SchemaResult> {
    const validate = await this.validatorFor(object.apiVersion, object.kind, crds);
    if (!validate) return { status: 'no-schema', issues: [] };
    if (validate(withoutNulls(object))) return { status: 'valid', issues: [] };
    return { status: 'invalid', issues: describeErrors((validate.errors ?? []) as ErrorObject[]) };
  }

  private async validatorFor(apiVersion: string, kind: string, crds: CrdSchemas): Promise<ValidateFunction | undefined> {
    const crd = crds.get(crdSchemaKey(apiVersion, kind));
    const key = crd ? `crd:${crd.id}` : `k8s:${apiVersion}:${kind}`;
    if (this.compiled.has(key)) return this.compiled.get(key);
    let validate: ValidateFunction | undefined;
    if (crd) {
      validate = this.ajv.compile({ $id: crd.id, ...crd.schema });
    } else {
      const doc = await this.document(apiVersion);
      const name = doc?.kinds.get(kind);
      if (doc && name) validate = this.ajv.getSchema(`${doc.id}#/components/schemas/${name}`);
    }
    this.compiled.set(key, validate);
    return validate;
  }

  private document(apiVersion: string): Promise<OpenApiDocument | undefined> {
    let doc = this.documents.get(apiVersion);
    if (!doc) {
      doc = loadDocument(this.dir, apiVersion).then((loaded) => {
        if (loaded) this.ajv.addSchema({ $id: loaded.id, components: { schemas: loaded.schemas } });
        return loaded;
      });
      this.documents.set(apiVersion, doc);
    }
    return doc;
  }
}

/** A copy without null-valued fields (the API server treats them as unset). */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)]));
}
