/**
 * Paths that are not resources: `/version`, health probes, discovery (`/api`, `/apis`, per group and
 * group-version, legacy or aggregated by Accept header) and OpenAPI v3 (`/openapi/v3` index and the
 * per group-version documents, sent gzipped when the client accepts it).
 */
import { gunzipSync } from 'node:zlib';
import { aggregated, AGGREGATED_TYPE, apiGroupDoc, apiGroupList, apiResourceList, apiVersions, wantsAggregated } from './discovery.ts';
import { ApiError } from './errors.ts';
import type { ServerParts } from './server.ts';

export interface Answer {
  code: number;
  body: unknown;
  headers?: Record<string, string>;
}

const VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-gitwave-sim',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

function notFound(path: string): ApiError {
  return new ApiError(404, 'NotFound', `the server could not find the requested resource (get ${path})`, {});
}

export function nonResource(parts: ServerParts, method: string, url: URL, accept: string): Answer {
  if (method !== 'GET' && method !== 'HEAD') throw new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const registry = parts.cluster.registry;
  if (path === '/version') return { code: 200, body: VERSION };
  if (['/healthz', '/livez', '/readyz'].includes(path)) return { code: 200, body: 'ok' };
  if (path === '/api' || path === '/apis') {
    if (wantsAggregated(accept)) return { code: 200, body: aggregated(registry, path === '/api'), headers: { 'Content-Type': AGGREGATED_TYPE, Vary: 'Accept' } };
    return { code: 200, body: path === '/api' ? apiVersions(parts.address()) : apiGroupList(registry) };
  }
  if (path.startsWith('/openapi/')) return openapi(parts, path, url, accept);
  const segments = path.split('/').filter(Boolean);
  const doc = segments[0] === 'api' && segments.length === 2
    ? apiResourceList(registry, '', segments[1])
    : segments[0] === 'apis' && segments.length === 2
      ? apiGroupDoc(registry, segments[1])
      : segments[0] === 'apis' && segments.length === 3
        ? apiResourceList(registry, segments[1], segments[2])
        : undefined;
  if (!doc) throw notFound(path);
  return { code: 200, body: doc };
}

/** A length-delimited protobuf field (wire type 2). */
function field(number: number, bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, bytes.length]), bytes]);
}

/**
 * An empty OpenAPI v2 document (swagger "2.0" and an info block, no definitions). kubectl falls back
 * to v2 for kinds the v3 index does not name yet (a custom resource whose CRD is in the same apply);
 * with no definition for the kind it skips client-side validation, as it does against a real cluster
 * that does not know the kind, and the apply then fails or succeeds on the server as it should.
 */
function openapiV2(accept: string): Answer {
  const info = { title: 'Kubernetes (gitwave simulator)', version: 'v1.32.0' };
  if (accept.includes('protobuf')) {
    const infoBytes = Buffer.concat([field(1, Buffer.from(info.title)), field(2, Buffer.from(info.version))]);
    const body = Buffer.concat([field(1, Buffer.from('2.0')), field(2, infoBytes)]);
    return { code: 200, body, headers: { 'Content-Type': 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf' } };
  }
  return { code: 200, body: { swagger: '2.0', info, paths: {}, definitions: {} } };
}

function openapi(parts: ServerParts, path: string, url: URL, accept: string): Answer {
  if (path === '/openapi/v2') return openapiV2(accept);
  if (path === '/openapi/v3') return { code: 200, body: parts.cluster.openapi.index() };
  if (!path.startsWith('/openapi/v3/')) throw notFound(path);
  const served = parts.cluster.openapi.document(path.slice('/openapi/v3/'.length));
  if (!served) throw notFound(path);
  const immutable = url.searchParams.get('hash') === served.hash;
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    Etag: `"${served.hash}"`,
    'Cache-Control': immutable ? 'public, immutable' : 'no-cache, private',
  };
  return { code: 200, body: served.gzipped ? gunzipSync(served.bytes) : served.bytes, headers };
}
