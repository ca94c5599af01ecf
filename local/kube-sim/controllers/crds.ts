/**
 * CustomResourceDefinitions: a new CRD becomes NamesAccepted and Established after the configured
 * delay, and only then is its kind served (discovery, REST, OpenAPI). Changes to an Established CRD
 * are served at once. A deleted CRD stops being served and its custom resources go with it.
 */
import type { ResourceType } from '../registry.ts';
import { storageKey } from '../registry.ts';
import type { Obj } from '../store.ts';
import type { Runtime } from './runtime.ts';
import { setCondition } from './runtime.ts';

const CRDS = 'apiextensions.k8s.io/customresourcedefinitions';
const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Kubernetes' version order: GA before beta before alpha, higher numbers first. */
function versionPriority(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    return [3 - (m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0), Number(m[1]), Number(m[3] ?? 0)];
  };
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pb[i] - pa[i];
  return a.localeCompare(b);
}

/** The resource types a CRD serves, preferred version first. */
function typesOf(crd: Obj): ResourceType[] {
  const spec = crd.spec ?? {};
  const names = spec.names ?? {};
  const versions: Obj[] = (spec.versions ?? []).filter((v: Obj) => v.served !== false);
  return versions
    .map((v) => ({
      group: spec.group,
      version: v.name,
      kind: names.kind,
      plural: names.plural,
      singular: names.singular || String(names.kind ?? '').toLowerCase(),
      namespaced: spec.scope !== 'Cluster',
      shortNames: names.shortNames ?? [],
      categories: names.categories ?? [],
      subresources: [...(v.subresources?.status ? ['status'] : []), ...(v.subresources?.scale ? ['scale'] : [])],
      verbs: VERBS,
      crd: crd.metadata.name,
    }))
    .sort((a, b) => versionPriority(a.version, b.version));
}

function established(crd: Obj): boolean {
  return (crd.status?.conditions ?? []).some((c: Obj) => c.type === 'Established' && c.status === 'True');
}

function serve(rt: Runtime, crd: Obj): void {
  rt.memo.set(`crd-spec:${crd.metadata.name}`, JSON.stringify(crd.spec));
  const types = typesOf(crd);
  for (const old of rt.cluster.registry.all().filter((r) => r.crd === crd.metadata.name)) rt.cluster.openapi.setCustomSchema(old, undefined);
  rt.cluster.registry.setCustom(crd.metadata.name, types);
  for (const type of types) {
    const version = (crd.spec.versions as Obj[]).find((v) => v.name === type.version);
    rt.cluster.openapi.setCustomSchema(type, version?.schema?.openAPIV3Schema ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  }
}

function establish(rt: Runtime, name: string): void {
  const live = rt.cluster.store.get(CRDS, '', name);
  if (!live || live.metadata.deletionTimestamp) return;
  const now = rt.cluster.now();
  const names = live.spec?.names ?? {};
  let conditions = setCondition(live.status?.conditions, { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' }, now);
  conditions = setCondition(conditions, { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' }, now);
  const storage = (live.spec?.versions ?? []).find((v: Obj) => v.storage)?.name;
  serve(rt, live);
  rt.writeStatus(rt.type('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'), live, {
    conditions,
    acceptedNames: { plural: names.plural, singular: names.singular ?? String(names.kind ?? '').toLowerCase(), kind: names.kind, listKind: names.listKind ?? `${names.kind}List`, ...(names.shortNames ? { shortNames: names.shortNames } : {}), ...(names.categories ? { categories: names.categories } : {}) },
    storedVersions: [...new Set([...(live.status?.storedVersions ?? []), ...(storage ? [storage] : [])])],
  });
}

/** Stops serving a deleted CRD's kinds and removes its custom resources. */
function retire(rt: Runtime, crd: Obj): void {
  rt.memo.delete(`crd-spec:${crd.metadata.name}`);
  const types = rt.cluster.registry.all().filter((r) => r.crd === crd.metadata.name);
  for (const type of types) rt.cluster.openapi.setCustomSchema(type, undefined);
  rt.cluster.registry.setCustom(crd.metadata.name, []);
  if (!types.length) return;
  const bucket = storageKey(types[0]);
  for (const obj of rt.cluster.store.list(bucket)) rt.cluster.store.remove(bucket, obj);
}

export function reconcileCrd(rt: Runtime, event: { type: string; object: Obj }): void {
  const crd = event.object;
  const name = crd.metadata.name;
  if (event.type === 'DELETED' || crd.metadata.deletionTimestamp) {
    rt.enqueue(`crd:${name}`, () => retire(rt, crd));
    return;
  }
  if (!established(crd)) {
    rt.after(`crd:${crd.metadata.uid}`, rt.cluster.settings.crdDelaySeconds, () => establish(rt, name));
    return;
  }
  // A status-only change needs no re-serving.
  if (rt.memo.get(`crd-spec:${name}`) !== JSON.stringify(crd.spec)) rt.enqueue(`crd:${name}`, () => serve(rt, crd));
}
