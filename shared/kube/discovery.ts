/**
 * Discovery and the REST mapping cache: which resource (plural) serves a kind in a group-version, and
 * whether it is namespaced. Group-versions are read lazily (`/api/v1`, `/apis/<group>/<version>`) and
 * kept; a kind that is not found makes the cache read its group-version again once (a CRD may have
 * become Established since), and `invalidateGroup` drops what a newly applied CRD may change. Parallel
 * callers share one read. Uses the legacy discovery documents, which every API server serves.
 */
import { groupOf, versionOf } from '../model/object.ts';

/** How one kind is served. */
export interface ResourceMapping {
  group: string;
  version: string;
  kind: string;
  /** The plural resource name in URLs, e.g. `deployments`. */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

/** Reads a discovery document: the JSON body, or `undefined` when the server says 404. */
export type DiscoveryReader = (path: string) => Promise<unknown>;

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface APIGroup {
  name: string;
  versions: Array<{ version: string }>;
  preferredVersion?: { version: string };
}

type KindTable = Map<string, ResourceMapping>;

export class RestMapper {
  readonly #read: DiscoveryReader;
  readonly #versions = new Map<string, Promise<KindTable>>();
  #groups: Promise<Map<string, APIGroup>> | undefined;

  constructor(read: DiscoveryReader) {
    this.#read = read;
  }

  /**
   * The mapping of `kind` in `apiVersion`, reading discovery again once on a miss.
   * @example await mapper.mappingFor('apps/v1', 'Deployment') // { resource: 'deployments', namespaced: true, … }
   */
  async mappingFor(apiVersion: string, kind: string): Promise<ResourceMapping | undefined> {
    const seen = this.#table(apiVersion);
    const found = (await seen).get(kind);
    if (found) return found;
    const again = this.#versions.get(apiVersion) === seen ? this.#reload(apiVersion) : this.#table(apiVersion);
    return (await again).get(kind);
  }

  /** The mapping of a kind in its group's preferred version (then the other served versions). */
  async mappingForGroupKind(group: string, kind: string): Promise<ResourceMapping | undefined> {
    if (group === '') return this.mappingFor('v1', kind);
    for (const version of await this.#versionsOf(group)) {
      const found = await this.mappingFor(`${group}/${version}`, kind);
      if (found) return found;
    }
    return undefined;
  }

  /** Forgets everything known about a group (after its CRD is applied or becomes Established). */
  invalidateGroup(group: string): void {
    for (const apiVersion of [...this.#versions.keys()]) {
      if (groupOf(apiVersion) === group) this.#versions.delete(apiVersion);
    }
    this.#groups = undefined;
  }

  /** Forgets everything. */
  invalidateAll(): void {
    this.#versions.clear();
    this.#groups = undefined;
  }

  #table(apiVersion: string): Promise<KindTable> {
    let table = this.#versions.get(apiVersion);
    if (!table) table = this.#reload(apiVersion);
    return table;
  }

  #reload(apiVersion: string): Promise<KindTable> {
    const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const table = this.#read(path).then((body) => kindTable(apiVersion, body));
    this.#versions.set(apiVersion, table);
    // A failed read must not stick in the cache.
    table.catch(() => this.#versions.get(apiVersion) === table && this.#versions.delete(apiVersion));
    return table;
  }

  /** Versions of a group, preferred first; the group list is read again when the group is unknown. */
  async #versionsOf(group: string): Promise<string[]> {
    let found = (await this.#groupList()).get(group);
    if (!found) {
      this.#groups = undefined;
      found = (await this.#groupList()).get(group);
    }
    if (!found) return [];
    const preferred = found.preferredVersion?.version;
    const rest = found.versions.map((v) => v.version).filter((v) => v !== preferred);
    return preferred ? [preferred, ...rest] : rest;
  }

  #groupList(): Promise<Map<string, APIGroup>> {
    if (!this.#groups) {
      const groups = this.#read('/apis').then((body) => {
        const list = ((body as { groups?: APIGroup[] } | undefined)?.groups ?? []);
        return new Map(list.map((g) => [g.name, g]));
      });
      this.#groups = groups;
      groups.catch(() => this.#groups === groups && (this.#groups = undefined));
    }
    return this.#groups;
  }
}

/** The kinds of one APIResourceList; subresources (`deployments/status`) are left out. */
function kindTable(apiVersion: string, body: unknown): KindTable {
  const group = groupOf(apiVersion);
  const version = versionOf(apiVersion);
  const table: KindTable = new Map();
  for (const r of ((body as { resources?: APIResource[] } | undefined)?.resources ?? [])) {
    if (r.name.includes('/') || table.has(r.kind)) continue;
    table.set(r.kind, { group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
  }
  return table;
}
