/**
 * The REST verbs on one resource (get, list, create, update; patch and delete live beside it),
 * independent of HTTP: a parsed request in, a status code and a JSON body out. Query parameters are
 * read here (dryRun, fieldManager, fieldValidation, selectors, limit/continue).
 */
import type { Cluster } from './cluster.ts';
import { eventAs } from './event-forms.ts';
import { alreadyExists, ApiError, badRequest, invalid, methodNotAllowed, notFound, staleConflict } from './errors.ts';
import type { ResourceType } from './registry.ts';
import { apiVersionOf, storageKey } from './registry.ts';
import { fieldSelector, labelSelector } from './selectors.ts';
import type { Obj } from './store.ts';
import { pruneUnknown } from './validation.ts';
import type { Writer } from './write.ts';
import { checkPrecondition } from './write.ts';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ApiRequest {
  verb: Verb;
  r: ResourceType;
  namespace: string;
  name: string;
  subresource: string;
  query: URLSearchParams;
  body: unknown;
  contentType: string;
  userAgent: string;
  /** Warnings for the `Warning` response header. */
  warnings: string[];
}

export interface ApiResponse {
  code: number;
  body: unknown;
}

/** What a read returns: the stored object shown in the requested version. */
export function present(obj: Obj, r: ResourceType): Obj {
  const apiVersion = apiVersionOf(r);
  if (r.kind === 'Event' && !r.crd) return eventAs(obj, apiVersion);
  return obj.apiVersion === apiVersion && obj.kind === r.kind ? obj : { ...obj, apiVersion, kind: r.kind };
}

export function isDryRun(req: ApiRequest): boolean {
  const values = req.query.getAll('dryRun');
  for (const v of values) if (v !== 'All') throw badRequest(`invalid dry run option "${v}": only "All" is supported`);
  return values.length > 0;
}

/** The field manager of a write: the query parameter, else the client's name from its User-Agent. */
export function managerOf(req: ApiRequest): string {
  const manager = req.query.get('fieldManager');
  if (manager) {
    if (manager.length > 128) throw badRequest('fieldManager: Too long: may not be more than 128 bytes');
    return manager;
  }
  return req.userAgent.split('/')[0] || 'unknown';
}

/**
 * Drops unknown fields from an incoming object; with `fieldValidation=Strict` they are an error
 * naming each field, otherwise (Warn, the default) they become warnings.
 */
export function checkUnknownFields(cluster: Cluster, req: ApiRequest, obj: Obj, name: string): void {
  const mode = req.query.get('fieldValidation') ?? 'Warn';
  if (!['Strict', 'Warn', 'Ignore'].includes(mode)) throw badRequest(`fieldValidation parameter unsupported: ${mode}`);
  const unknown = pruneUnknown(obj, cluster.cursorOf(req.r));
  if (!unknown.length || mode === 'Ignore') return;
  const messages = unknown.map((path) => `unknown field "${path}"`);
  if (mode === 'Strict') {
    const error = invalid(req.r, name, unknown.map((path, i) => ({ reason: 'FieldValueInvalid', field: path, message: messages[i] })));
    const kind = req.r.group ? `${req.r.kind}.${req.r.group}` : req.r.kind;
    error.message = `${kind} "${name}" is invalid: strict decoding error: ${messages.join(', ')}`;
    throw error;
  }
  req.warnings.push(...messages);
}

/** Checks apiVersion and kind of a body against the URL, and fills them in when absent. */
export function checkTypeOf(req: ApiRequest, body: unknown): Obj {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request was in an unknown format: expected an object');
  const obj = body as Obj;
  const expected = apiVersionOf(req.r);
  if (obj.apiVersion !== undefined && obj.apiVersion !== expected) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expected})`);
  }
  if (obj.kind !== undefined && obj.kind !== req.r.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${req.r.kind})`);
  obj.apiVersion = expected;
  obj.kind = req.r.kind;
  obj.metadata = obj.metadata && typeof obj.metadata === 'object' ? obj.metadata : {};
  return obj;
}

/** Namespace of the body against the URL (a mismatch is a 400; an absent one is filled in). */
export function checkNamespaceOf(req: ApiRequest, obj: Obj): void {
  if (!req.r.namespaced) return;
  const ns = obj.metadata.namespace;
  if (ns && req.namespace && ns !== req.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = req.namespace || ns;
}

export class ReadWrite {
  constructor(
    protected readonly cluster: Cluster,
    protected readonly writer: Writer,
  ) {}

  get(req: ApiRequest): ApiResponse {
    const obj = this.cluster.get(req.r, req.namespace, req.name);
    if (!obj) throw notFound(req.r, req.name);
    return { code: 200, body: present(obj, req.r) };
  }

  list(req: ApiRequest): ApiResponse {
    const labels = labelSelector(req.query.get('labelSelector'));
    const fields = fieldSelector(req.query.get('fieldSelector'), req.r);
    const rv = String(this.cluster.store.resourceVersion);
    let items = this.cluster.store.list(storageKey(req.r), req.namespace).filter((o) => labels(o) && fields(o));
    const start = req.query.get('continue') ? decodeContinue(req.query.get('continue')!) : 0;
    const limit = Number(req.query.get('limit') ?? 0);
    let next: string | undefined;
    if (limit > 0 && items.length > start + limit) next = Buffer.from(JSON.stringify({ start: start + limit })).toString('base64url');
    items = items.slice(start, limit > 0 ? start + limit : undefined);
    return {
      code: 200,
      body: {
        apiVersion: apiVersionOf(req.r),
        kind: `${req.r.kind}List`,
        metadata: { resourceVersion: rv, ...(next ? { continue: next, remainingItemCount: 0 } : {}) },
        items: items.map((o) => present(o, req.r)),
      },
    };
  }

  create(req: ApiRequest): ApiResponse {
    if (req.subresource) throw methodNotAllowed();
    const obj = checkTypeOf(req, req.body);
    checkNamespaceOf(req, obj);
    // Reviews (can-i, whoami) are answered, never stored, and carry no name.
    if (this.cluster.registry.isCreateOnly(req.r)) return { code: 201, body: review(obj) };
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = this.cluster.generateName(obj.metadata.generateName);
    const name = obj.metadata.name;
    if (!name) throw invalid(req.r, '', [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
    checkName(req.r, name);
    if (req.r.namespaced) this.cluster.requireActiveNamespace(req.r, obj.metadata.namespace, name);
    if (this.cluster.get(req.r, obj.metadata.namespace, name)) throw alreadyExists(req.r, name);
    checkUnknownFields(this.cluster, req, obj, name);
    const created = this.writer.commit(req.r, undefined, obj, { manager: managerOf(req), dryRun: isDryRun(req) }, 'main');
    return { code: 201, body: present(created, req.r) };
  }

  update(req: ApiRequest): ApiResponse {
    const live = this.cluster.get(req.r, req.namespace, req.name);
    if (!live) throw notFound(req.r, req.name);
    const obj = checkTypeOf(req, req.body);
    checkNamespaceOf(req, obj);
    if (obj.metadata.name !== req.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${req.name})`);
    checkPrecondition(req.r, live, obj, staleConflict);
    checkUnknownFields(this.cluster, req, obj, req.name);
    const next = proposedFor(req.subresource, live, obj);
    const part = req.subresource === 'status' ? 'status' : 'main';
    const saved = this.writer.commit(req.r, live, next, { manager: managerOf(req), dryRun: isDryRun(req) }, part);
    return { code: 200, body: present(saved, req.r) };
  }
}

/** The next version of an object written through the main resource, `status`, or `finalize`. */
export function proposedFor(subresource: string, live: Obj, obj: Obj): Obj {
  if (subresource === 'status') return { ...live, status: obj.status };
  if (subresource === 'finalize') return { ...live, spec: { ...(live.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] } };
  if (subresource) throw methodNotAllowed();
  return obj;
}

function decodeContinue(token: string): number {
  try {
    return Number(JSON.parse(Buffer.from(token, 'base64url').toString()).start) || 0;
  } catch {
    throw new ApiError(400, 'BadRequest', 'continue key is not valid: could not decode');
  }
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkName(r: ResourceType, name: string): void {
  const rbac = r.group === 'rbac.authorization.k8s.io';
  if (rbac ? !/^[^/%]+$/.test(name) || name === '.' || name === '..' : !DNS_SUBDOMAIN.test(name) || name.length > 253) {
    const message = `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
    throw invalid(r, name, [{ reason: 'FieldValueInvalid', field: 'metadata.name', message }]);
  }
}

/** Review kinds (can-i, whoami) answer at once: the simulator has no RBAC, the user is its admin. */
function review(obj: Obj): Obj {
  if (obj.kind === 'SelfSubjectReview') return { ...obj, status: { userInfo: { username: 'sim-admin', groups: ['system:masters', 'system:authenticated'] } } };
  return { ...obj, status: { allowed: true, reason: 'the gitwave simulator has no RBAC: every request is allowed' } };
}
