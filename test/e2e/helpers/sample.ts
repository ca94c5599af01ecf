/**
 * Edits of the sample repository the end-to-end tests commit: YAML changes made on the parsed
 * documents (comments and order kept), so each test says what it changes, not how the text looks.
 */
import { parseAllDocuments, type Document } from 'yaml';
import { joinDocuments } from '../../../cli/commands/demo.ts';
import type { AuditEntry } from '../../../local/kube-sim/index.ts';

export const BASE = 'api/orders/service/base';
export const FILES = {
  presyncConfig: `${BASE}/config-presync.yaml`,
  migrate: `${BASE}/migrate-job.yaml`,
  config: `${BASE}/config.yaml`,
  grpc: `${BASE}/grpc.yaml`,
  rest: `${BASE}/rest.yaml`,
  smoke: `${BASE}/smoke-job.yaml`,
  kustomization: `${BASE}/kustomization.yaml`,
} as const;

/** Applies `edit` to every document of `kind` in the file text. */
export function editDocs(kind: string, edit: (doc: Document) => void): (text: string) => string {
  return (text) => joinDocuments(parseAllDocuments(text).map((doc) => {
    if (doc.get('kind') === kind) edit(doc);
    return doc;
  }));
}

/** Sets annotations on the object (and, for workloads and Jobs, their pod template). */
export function annotate(kind: string, annotations: Record<string, string>): (text: string) => string {
  return editDocs(kind, (doc) => {
    for (const [key, value] of Object.entries(annotations)) doc.setIn(['metadata', 'annotations', key], value);
  });
}

/** The container image of every Deployment in the file. */
export function setImage(image: string): (text: string) => string {
  return editDocs('Deployment', (doc) => doc.setIn(['spec', 'template', 'spec', 'containers', 0, 'image'], image));
}

/** Adds `file` (relative to the base) to the base kustomization's resources, or removes it. */
export function kustomizeResource(file: string, present: boolean): (text: string) => string {
  return (text) => {
    const [doc] = parseAllDocuments(text);
    const resources = (doc.get('resources') as { items: Array<{ value: string }> }).items.map((i) => i.value).filter((r) => r !== file);
    doc.set('resources', present ? [...resources, file] : resources);
    return doc.toString();
  };
}

/** The simulator's Jobs take `seconds` to finish (default 1 s): short in tests, long enough to see the order. */
export function jobDuration(seconds: number): Record<string, (text: string) => string> {
  const annotation = { 'sim.gitwave.dev/duration': String(seconds) };
  return { [FILES.migrate]: annotate('Job', annotation), [FILES.smoke]: annotate('Job', annotation) };
}

/** `Kind/name` of an audit entry, for order assertions (generateName suffixes cut to the prefix). */
export function auditKey(e: AuditEntry): string {
  const kind = { configmaps: 'ConfigMap', jobs: 'Job', services: 'Service', deployments: 'Deployment', namespaces: 'Namespace' }[e.resource] ?? e.resource;
  const name = e.name.replace(/^(orders-(migrate|smoke|failed)-).*$/, '$1*');
  return `${kind}/${name}`;
}

/** The first index of each key in `keys`, in the order given. */
export function firstIndexes(entries: AuditEntry[], keys: string[]): number[] {
  return keys.map((key) => entries.findIndex((e) => auditKey(e) === key));
}
