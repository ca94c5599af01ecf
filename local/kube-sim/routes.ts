/**
 * URL parsing: which resource, namespace, name and subresource a request path names, and which
 * Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection) the method and
 * query make of it. Handles the legacy `/watch/` prefix and the `namespaces/<ns>` ambiguity.
 */
import type { Registry, ResourceType } from './registry.ts';
import type { Verb } from './rest.ts';

export interface ResourceRoute {
  group: string;
  version: string;
  plural: string;
  namespace: string;
  name: string;
  subresource: string;
  watchPrefix: boolean;
  r?: ResourceType;
}

/** Splits `/api/v1/...` or `/apis/<group>/<version>/...`; undefined for any other path. */
export function parseResourcePath(pathname: string, registry: Registry): ResourceRoute | undefined {
  const parts = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) [group, version, rest] = ['', parts[1], parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 4) [group, version, rest] = [parts[1], parts[2], parts.slice(3)];
  else return undefined;
  const watchPrefix = rest[0] === 'watch';
  if (watchPrefix) rest = rest.slice(1);
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3 && registry.byPlural(group, version, rest[2])?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3 || rest.length === 0) return undefined;
  const [plural, name = '', subresource = ''] = rest;
  const r = registry.byPlural(group, version, plural);
  return { group, version, plural, namespace, name, subresource, watchPrefix, r };
}

const WRITE_VERBS: Record<string, Verb> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

/** The Kubernetes verb of a request, or undefined when the method makes no sense on the path. */
export function verbOf(method: string, route: ResourceRoute, query: URLSearchParams): Verb | undefined {
  const watch = route.watchPrefix || ['true', '1'].includes(query.get('watch') ?? '');
  if (method === 'GET') {
    if (watch) return 'watch';
    return route.name ? 'get' : 'list';
  }
  if (method === 'DELETE') return route.name ? 'delete' : 'deletecollection';
  const verb = WRITE_VERBS[method];
  if (!verb) return undefined;
  if (verb === 'create') return route.name && !route.subresource ? undefined : 'create';
  return route.name ? verb : undefined;
}
