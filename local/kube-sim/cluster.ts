/**
 * The simulated cluster's state, shared by the REST layer and the controllers: the registry of served
 * kinds, the object store, the OpenAPI documents, the settings (delays), and small helpers every
 * writer needs (schema of a kind, namespace checks, generated names, uids, timestamps).
 */
import { randomUUID } from 'node:crypto';
import { ApiError, notFound } from './errors.ts';
import type { Cursor } from './fieldwalk.ts';
import { OpenApi } from './openapi.ts';
import type { ResourceType } from './registry.ts';
import { Registry, storageKey } from './registry.ts';
import { rootSchema } from './schema.ts';
import type { Obj } from './store.ts';
import { Store } from './store.ts';

export interface ClusterSettings {
  rolloutDelaySeconds: number;
  crdDelaySeconds: number;
  schemasDir?: string;
  /** The Kubernetes `generated.proto` files, laid out by import path (protobuf request bodies). */
  protoDir?: string;
  /** How many Events each namespace keeps (the newest; default 500). */
  eventsPerNamespace?: number;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export class Cluster {
  readonly registry = new Registry();
  readonly store = new Store();
  readonly openapi: OpenApi;

  constructor(readonly settings: ClusterSettings) {
    this.openapi = new OpenApi(settings.schemasDir, this.registry);
  }

  /** RFC 3339 to the second, as Kubernetes writes timestamps. */
  now(): string {
    return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  uid(): string {
    return randomUUID();
  }

  /** `prefix` + 5 random characters, as `generateName` gets. */
  generateName(prefix: string): string {
    let suffix = '';
    for (let i = 0; i < 5; i++) suffix += NAME_ALPHABET[Math.floor(Math.random() * NAME_ALPHABET.length)];
    return prefix + suffix;
  }

  /** The schema of a kind (undefined without schemas, or for a kind the documents do not describe). */
  cursorOf(r: ResourceType): Cursor {
    const doc = this.openapi.parsedDoc(r.group, r.version);
    return doc ? rootSchema(doc, r.group, r.version, r.kind) : undefined;
  }

  /** The served resource of an object's apiVersion and kind. */
  typeOf(obj: Obj): ResourceType | undefined {
    const [group, version] = String(obj.apiVersion ?? '').includes('/') ? String(obj.apiVersion).split('/') : ['', String(obj.apiVersion)];
    return this.registry.byKind(group, version, String(obj.kind));
  }

  /** The stored namespace, or a 404 naming it. */
  requireNamespace(namespace: string): Obj {
    const ns = this.store.get('/namespaces', '', namespace);
    if (!ns) throw notFound({ group: '', plural: 'namespaces' }, namespace);
    return ns;
  }

  /** Refuses new objects in a namespace being deleted (403, as Kubernetes does). */
  requireActiveNamespace(r: ResourceType, namespace: string, name: string): void {
    const ns = this.requireNamespace(namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${r.plural} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        { name, group: r.group, kind: r.plural, causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }] },
      );
    }
  }

  get(r: ResourceType, namespace: string, name: string): Obj | undefined {
    return this.store.get(storageKey(r), r.namespaced ? namespace : '', name);
  }
}
