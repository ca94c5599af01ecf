/**
 * Server-side printing: `kubectl get` asks for `as=Table` and prints the columns the server sends.
 * Name and Age for every kind, the familiar extra columns for the common ones, and a CRD's
 * `additionalPrinterColumns` (simple `.a.b` JSONPaths) for custom resources.
 */
import type { ResourceType } from './registry.ts';
import type { Obj } from './store.ts';

interface Column {
  name: string;
  type: string;
  format?: string;
  priority?: number;
  cell: (o: Obj) => unknown;
}

/** Kubernetes' short human durations: 45s, 3m20s, 12m, 5h, 3d… */
function age(timestamp: string | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const condition = (o: Obj, type: string) => (o.status?.conditions ?? []).find((c: Obj) => c.type === type)?.status === 'True';

function podReady(o: Obj): string {
  const statuses: Obj[] = o.status?.containerStatuses ?? [];
  const total = (o.spec?.containers ?? []).length;
  return `${statuses.filter((c) => c.ready).length}/${total}`;
}

function podStatus(o: Obj): string {
  if (o.metadata.deletionTimestamp) return 'Terminating';
  const waiting = (o.status?.containerStatuses ?? []).find((c: Obj) => c.state?.waiting)?.state.waiting.reason;
  if (waiting && o.status?.phase !== 'Succeeded') return waiting;
  return o.status?.phase === 'Succeeded' ? 'Completed' : (o.status?.phase ?? 'Pending');
}

function servicePorts(o: Obj): string {
  const ports: Obj[] = o.spec?.ports ?? [];
  return ports.length ? ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',') : '<none>';
}

function externalIp(o: Obj): string {
  const ingress: Obj[] = o.status?.loadBalancer?.ingress ?? [];
  if (ingress.length) return ingress.map((i) => i.hostname ?? i.ip).join(',');
  return o.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>';
}

const EXTRA: Record<string, Column[]> = {
  'apps/Deployment': [
    { name: 'Ready', type: 'string', cell: (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}` },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o.status?.updatedReplicas) },
    { name: 'Available', type: 'integer', cell: (o) => num(o.status?.availableReplicas) },
  ],
  'apps/StatefulSet': [{ name: 'Ready', type: 'string', cell: (o) => `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}` }],
  'apps/ReplicaSet': [
    { name: 'Desired', type: 'integer', cell: (o) => num(o.spec?.replicas) },
    { name: 'Current', type: 'integer', cell: (o) => num(o.status?.replicas) },
    { name: 'Ready', type: 'integer', cell: (o) => num(o.status?.readyReplicas) },
  ],
  '/Pod': [
    { name: 'Ready', type: 'string', cell: podReady },
    { name: 'Status', type: 'string', cell: podStatus },
    { name: 'Restarts', type: 'string', cell: () => '0' },
  ],
  '/Service': [
    { name: 'Type', type: 'string', cell: (o) => o.spec?.type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', cell: (o) => o.spec?.clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', cell: externalIp },
    { name: 'Port(s)', type: 'string', cell: servicePorts },
  ],
  'batch/Job': [
    { name: 'Status', type: 'string', cell: (o) => (condition(o, 'Complete') ? 'Complete' : condition(o, 'Failed') ? 'Failed' : 'Running') },
    { name: 'Completions', type: 'string', cell: (o) => `${num(o.status?.succeeded)}/${num(o.spec?.completions ?? 1)}` },
  ],
  '/Namespace': [{ name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Active' }],
  '/PersistentVolumeClaim': [{ name: 'Status', type: 'string', cell: (o) => o.status?.phase ?? 'Pending' }],
  '/ConfigMap': [{ name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length + Object.keys(o.binaryData ?? {}).length }],
  '/Secret': [
    { name: 'Type', type: 'string', cell: (o) => o.type ?? 'Opaque' },
    { name: 'Data', type: 'integer', cell: (o) => Object.keys(o.data ?? {}).length },
  ],
  'apiextensions.k8s.io/CustomResourceDefinition': [],
};

/** An Event's fields in either API's form (core v1 or events.k8s.io/v1). */
function eventObject(o: Obj): Obj {
  return o.involvedObject ?? o.regarding ?? {};
}

const EVENT_COLUMNS: Column[] = [
  { name: 'Last Seen', type: 'string', cell: (o) => age(o.lastTimestamp ?? o.deprecatedLastTimestamp ?? o.eventTime ?? o.metadata.creationTimestamp) },
  { name: 'Type', type: 'string', cell: (o) => o.type ?? '' },
  { name: 'Reason', type: 'string', cell: (o) => o.reason ?? '' },
  { name: 'Object', type: 'string', cell: (o) => `${String(eventObject(o).kind ?? '').toLowerCase()}/${eventObject(o).name ?? ''}` },
  { name: 'Subobject', type: 'string', priority: 1, cell: (o) => eventObject(o).fieldPath ?? '' },
  { name: 'Source', type: 'string', priority: 1, cell: (o) => (o.source ?? o.deprecatedSource)?.component ?? o.reportingController ?? '' },
  { name: 'Message', type: 'string', cell: (o) => o.message ?? o.note ?? '' },
  { name: 'First Seen', type: 'string', priority: 1, cell: (o) => age(o.firstTimestamp ?? o.deprecatedFirstTimestamp ?? o.eventTime) },
  { name: 'Count', type: 'string', priority: 1, cell: (o) => String(o.count ?? o.deprecatedCount ?? o.series?.count ?? 1) },
  { name: 'Name', type: 'string', format: 'name', priority: 1, cell: (o) => o.metadata.name },
];

/** Kinds whose table is not Name, …, Age: Events read by time, object and message. */
const WHOLE: Record<string, Column[]> = { '/Event': EVENT_COLUMNS, 'events.k8s.io/Event': EVENT_COLUMNS };

function jsonPathCell(path: string): (o: Obj) => unknown {
  const keys = path.replace(/^\./, '').split('.').filter(Boolean);
  return (o) => keys.reduce<any>((node, key) => node?.[key], o) ?? '';
}

function columnsOf(r: ResourceType, printerColumns: Obj[] | undefined): Column[] {
  const name: Column = { name: 'Name', type: 'string', format: 'name', cell: (o) => o.metadata.name };
  const ageColumn: Column = { name: 'Age', type: 'date', cell: (o) => age(o.metadata.creationTimestamp) };
  if (printerColumns?.length) {
    const custom = printerColumns.map((c) => ({
      name: c.name,
      type: c.type ?? 'string',
      priority: c.priority ?? 0,
      cell: c.type === 'date' ? (o: Obj) => age(String(jsonPathCell(c.jsonPath)(o))) : jsonPathCell(c.jsonPath),
    }));
    return [name, ...custom, ...(printerColumns.some((c) => c.jsonPath === '.metadata.creationTimestamp') ? [] : [ageColumn])];
  }
  return WHOLE[`${r.group}/${r.kind}`] ?? [name, ...(EXTRA[`${r.group}/${r.kind}`] ?? []), ageColumn];
}

export interface TableOptions {
  includeObject: string;
  headers: boolean;
  printerColumns?: Obj[];
  resourceVersion?: string;
}

/** A meta.k8s.io/v1 Table of objects. */
export function toTable(r: ResourceType, objects: Obj[], opts: TableOptions): Obj {
  const columns = columnsOf(r, opts.printerColumns);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion: opts.resourceVersion ?? '' },
    columnDefinitions: opts.headers
      ? columns.map((c) => ({ name: c.name, type: c.type, format: c.format ?? '', description: '', priority: c.priority ?? 0 }))
      : [],
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      ...(opts.includeObject === 'None' ? {} : { object: opts.includeObject === 'Object' ? o : partial(o) }),
    })),
  };
}

function partial(o: Obj): Obj {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** Whether the Accept header asks for a Table. */
export function wantsTable(accept: string): boolean {
  return accept.split(',').some((part) => part.includes('as=Table') && part.includes('g=meta.k8s.io'));
}
