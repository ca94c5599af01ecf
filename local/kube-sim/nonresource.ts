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

function openapi(parts: ServerParts, path: string, url: URL, accept: string): Answer {
  if (accept.includes('protobuf') && !accept.includes('json') && !accept.includes('*/*')) {
    throw new ApiError(406, 'NotAcceptable', 'only application/json is served by the gitwave simulator');
  }
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
