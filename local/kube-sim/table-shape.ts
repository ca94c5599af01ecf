/**
 * Choosing the response shape for reads: plain objects, or Tables when kubectl asks for them
 * (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`), for get, list and each watch event.
 */
import type { Cluster } from './cluster.ts';
import type { ApiRequest } from './rest.ts';
import type { Obj } from './store.ts';
import { toTable, wantsTable } from './table.ts';
import type { Shape } from './watch.ts';

/** additionalPrinterColumns of a custom resource's version, from its CRD. */
function printerColumns(cluster: Cluster, api: ApiRequest): Obj[] | undefined {
  if (!api.r.crd) return undefined;
  const crd = cluster.store.get('apiextensions.k8s.io/customresourcedefinitions', '', api.r.crd);
  return crd?.spec?.versions?.find((v: Obj) => v.name === api.r.version)?.additionalPrinterColumns;
}

function includeObject(api: ApiRequest): string {
  return api.query.get('includeObject') ?? 'Metadata';
}

/** The body of a get or list, as a Table when asked for one. */
export function tableResponse(cluster: Cluster, api: ApiRequest, accept: string, body: unknown): unknown {
  if (!wantsTable(accept) || api.subresource) return body;
  const obj = body as Obj;
  const items = api.verb === 'list' ? (obj.items as Obj[]) : [obj];
  const table = toTable(api.r, items, { includeObject: includeObject(api), headers: true, printerColumns: printerColumns(cluster, api), resourceVersion: obj.metadata?.resourceVersion });
  if (obj.metadata?.continue) table.metadata.continue = obj.metadata.continue;
  return table;
}

/** How each watch event's object is shaped: as is, or a one-row Table (headers on the first only). */
export function tableShape(cluster: Cluster, api: ApiRequest, accept: string): Shape {
  if (!wantsTable(accept)) return (obj) => obj;
  const columns = printerColumns(cluster, api);
  return (obj, first) => toTable(api.r, [obj], { includeObject: includeObject(api), headers: first, printerColumns: columns, resourceVersion: obj.metadata.resourceVersion });
}
