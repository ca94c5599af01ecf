/**
 * The HTTP front: reads a request, answers `/_sim/` controls, applies injected faults, serves
 * version, discovery and OpenAPI, and dispatches resource requests to the REST verbs, writing
 * Status objects for errors and one audit entry per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { AuditEntry, AuditLog } from './audit.ts';
import type { Cluster } from './cluster.ts';
import { deleteCollection, deleteOne } from './delete.ts';
import { ApiError, badRequest, methodNotAllowed, resourceNotServed, toApiError } from './errors.ts';
import type { FaultInjector } from './faults.ts';
import { nonResource } from './nonresource.ts';
import { patch, patchTypeOf, scale } from './patch.ts';
import { decodeProtobufBody } from './protobuf.ts';
import type { ApiRequest, ApiResponse } from './rest.ts';
import { ReadWrite } from './rest.ts';
import type { ResourceRoute } from './routes.ts';
import { parseResourcePath, verbOf } from './routes.ts';
import { simControl } from './sim-control.ts';
import { tableShape, tableResponse } from './table-shape.ts';
import type { WatchHub } from './watch.ts';
import type { Writer } from './write.ts';

const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Kubernetes' request body cap. */
const MAX_BODY = 3 * 1024 * 1024;

export interface ServerParts {
  cluster: Cluster;
  writer: Writer;
  watches: WatchHub;
  audit: AuditLog;
  faults: FaultInjector;
  /** `host:port` as clients reach the server. */
  address: () => string;
}

export function createHandler(parts: ServerParts): (req: IncomingMessage, res: ServerResponse) => void {
  const rest = new ReadWrite(parts.cluster, parts.writer);
  return (req, res) => {
    handle(parts, rest, req, res).catch((error) => {
      if (!res.headersSent) send(res, toApiError(error).code, toApiError(error).toStatus());
      else res.end();
    });
  };
}

async function handle(parts: ServerParts, rest: ReadWrite, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim');
  if (url.pathname.startsWith('/_sim/')) {
    const body = await readBody(req);
    const answer = simControl(parts, req.method ?? 'GET', url.pathname, body);
    send(res, answer.code, answer.body);
    return;
  }
  const route = parseResourcePath(url.pathname, parts.cluster.registry);
  const method = req.method ?? 'GET';
  const verb = route ? verbOf(method, route, url.searchParams) : undefined;
  const entry = auditEntry(route, verb ?? method.toLowerCase(), url, req.headers['user-agent'] ?? '');
  const fault = parts.faults.decide(entry.verb);
  if (parts.faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, parts.faults.latencyMs));
  if (fault.kind === 'drop') {
    parts.audit.record({ ...entry, code: 0 });
    req.socket.destroy();
    return;
  }
  if (fault.kind === 'drop-after') loseAnswer(req, res);
  let code = 500;
  try {
    if (fault.kind === 'error') throw fault.error;
    const body = await readBody(req);
    if (!route) {
      code = respond(res, nonResource(parts, method, url, req.headers.accept ?? ''), req);
      return;
    }
    code = await resource(parts, rest, { route, verb, url, req, res, body, entry });
  } catch (error) {
    const e = toApiError(error);
    code = e.code;
    if (!res.headersSent) send(res, e.code, e.toStatus(), e.headers);
    else res.end();
  } finally {
    parts.audit.record({ ...entry, code, ...(fault.kind === 'drop-after' ? { answerLost: true } : {}) });
  }
}

/** The request is handled (a write takes effect), but the connection is cut as the answer starts. */
function loseAnswer(req: IncomingMessage, res: ServerResponse): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  res.writeHead = ((...args: unknown[]) => {
    req.socket.destroy();
    return writeHead(...args);
  }) as typeof res.writeHead;
}

interface ResourceCall {
  route: ResourceRoute;
  verb: ReturnType<typeof verbOf>;
  url: URL;
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
  entry: AuditEntry;
}

async function resource(parts: ServerParts, rest: ReadWrite, call: ResourceCall): Promise<number> {
  const { route, verb, url, req, res } = call;
  if (!route.r) throw resourceNotServed();
  if (!verb) throw methodNotAllowed();
  const contentType = req.headers['content-type'] ?? 'application/json';
  const api: ApiRequest = {
    verb,
    r: route.r,
    namespace: route.namespace,
    name: route.name,
    subresource: route.subresource,
    query: url.searchParams,
    body: parseBody(call.body, contentType, parts.cluster.settings.protoDir),
    contentType,
    userAgent: req.headers['user-agent'] ?? '',
    warnings: [],
  };
  if (verb === 'patch') call.entry.patchType = patchTypeOf(contentType, Boolean(route.r.crd));
  const accept = req.headers.accept ?? '';
  if (verb === 'watch') {
    parts.watches.serve(api, res, tableShape(parts.cluster, api, accept));
    return 200;
  }
  const answer = dispatch(parts, rest, api);
  const body = verb === 'get' || verb === 'list' ? tableResponse(parts.cluster, api, accept, answer.body) : answer.body;
  const headers: Record<string, string> = api.warnings.length ? { Warning: api.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ') } : {};
  send(res, answer.code, body, headers);
  return answer.code;
}

function dispatch(parts: ServerParts, rest: ReadWrite, api: ApiRequest): ApiResponse {
  if (api.r.verbs.length === 1 && api.verb !== 'create') throw methodNotAllowed();
  if (api.subresource === 'scale') {
    if (api.verb === 'get') return scale(parts.cluster, parts.writer, api);
    if (api.verb === 'update') return scale(parts.cluster, parts.writer, api, api.body);
  }
  if (api.subresource === 'log' && api.verb === 'get') return { code: 200, body: `simulated pod ${api.name}: no logs\n` };
  switch (api.verb) {
    case 'get': return rest.get(api);
    case 'list': return rest.list(api);
    case 'create': return rest.create(api);
    case 'update': return rest.update(api);
    case 'patch': return patch(parts.cluster, parts.writer, api);
    case 'delete': return deleteOne(parts.cluster, api);
    case 'deletecollection': return deleteCollection(parts.cluster, api);
    default: throw methodNotAllowed();
  }
}

function parseBody(body: Buffer, contentType: string, protoDir: string | undefined): unknown {
  if (!body.length) return undefined;
  // kubectl's typed commands (create namespace|deployment|secret|…, run, auth can-i) send built-in
  // kinds as protobuf and never retry in JSON, so those bodies are decoded; answers stay JSON.
  if (contentType.includes(PROTOBUF)) return decodeProtobufBody(body, protoDir);
  if (contentType.includes('cbor')) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, ${PROTOBUF}`);
  }
  const text = body.toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!contentType.includes('yaml')) throw badRequest(`the body of the request could not be decoded: ${(error as Error).message}`);
  }
  try {
    return parseYaml(text);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => (size > MAX_BODY ? reject(new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${MAX_BODY}`)) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function auditEntry(route: ResourceRoute | undefined, verb: string, url: URL, userAgent: string): AuditEntry {
  const q = url.searchParams;
  return {
    time: new Date().toISOString(),
    verb,
    group: route?.group ?? '',
    version: route?.version ?? '',
    resource: route?.plural ?? '',
    ...(route?.subresource ? { subresource: route.subresource } : {}),
    namespace: route?.namespace ?? '',
    name: route?.name ?? '',
    fieldManager: q.get('fieldManager') ?? '',
    userAgent,
    dryRun: q.getAll('dryRun').includes('All'),
    code: 0,
    ...(route ? {} : { path: url.pathname }),
  };
}

/** Writes a non-resource answer; returns its status. */
function respond(res: ServerResponse, answer: { code: number; body: unknown; headers?: Record<string, string> }, req: IncomingMessage): number {
  if (Buffer.isBuffer(answer.body)) {
    res.writeHead(answer.code, answer.headers ?? {});
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  } else send(res, answer.code, answer.body, answer.headers);
  return answer.code;
}

export function send(res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'Cache-Control': 'no-cache, private',
    ...headers,
  });
  res.end(text);
}
