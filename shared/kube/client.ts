/**
 * `KubeClusterClient`: the `ClusterClient` port against a real Kubernetes API server (EKS, a
 * kubeconfig context, or the simulator). It wires the transport, the retrying calls and discovery
 * to the verbs in apply.ts and objects.ts. Build one with `connectKubeconfig` or `connectEks`.
 */
import type { KubeObject } from '../model/object.ts';
import { serverSideApply, type ApplyContext } from './apply.ts';
import { ClusterCalls, type CallOptions } from './calls.ts';
import type { ResourceMapping } from './discovery.ts';
import { deleteObject, getObject, listObjects, removeFinalizer } from './objects.ts';
import {
  FIELD_MANAGER,
  HOOK_FINALIZER,
  type ApplyOptions,
  type ApplyResult,
  type ClusterCapabilities,
  type ClusterClient,
  type DeleteOptions,
  type DeleteResult,
  type ListOptions,
  type ObjectRef,
  type RetryListener,
  type TypeRef,
} from './port.ts';
import type { ApiTransport } from './exchange.ts';

export interface KubeClientOptions extends CallOptions {
  /** Namespace for namespaced objects that name none; default `default` (as kubectl). */
  defaultNamespace?: string;
  /** Field manager; default `gitwave`. Only tests and benchmarks change it. */
  fieldManager?: string;
  /** Server-side field validation of applies; default `Strict` (unknown fields fail, as kubectl's default). */
  fieldValidation?: ApplyContext['fieldValidation'];
}

export class KubeClusterClient implements ClusterClient {
  readonly #calls: ClusterCalls;
  readonly #defaultNamespace: string;
  readonly #context: ApplyContext;

  constructor(transport: ApiTransport | ClusterCalls, options: KubeClientOptions = {}) {
    this.#calls = transport instanceof ClusterCalls ? transport : new ClusterCalls(transport, options);
    this.#defaultNamespace = options.defaultNamespace ?? 'default';
    this.#context = {
      defaultNamespace: this.#defaultNamespace,
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      fieldValidation: options.fieldValidation ?? 'Strict',
    };
  }

  /** The API server URL (never credentials). */
  get server(): string {
    return this.#calls.transport.server;
  }

  apply(obj: KubeObject, options: ApplyOptions = {}): Promise<ApplyResult> {
    return serverSideApply(this.#calls, obj, false, this.#applyOptions(options));
  }

  dryRunApply(obj: KubeObject, options: ApplyOptions = {}): Promise<ApplyResult> {
    return serverSideApply(this.#calls, obj, true, this.#applyOptions(options));
  }

  get(ref: ObjectRef): Promise<KubeObject | undefined> {
    return getObject(this.#calls, ref, this.#defaultNamespace);
  }

  list(type: TypeRef, options?: ListOptions): Promise<KubeObject[]> {
    return listObjects(this.#calls, type, options);
  }

  delete(ref: ObjectRef, options: DeleteOptions = {}): Promise<DeleteResult> {
    return deleteObject(this.#calls, ref, options, this.#defaultNamespace);
  }

  discover(type: TypeRef): Promise<ResourceMapping | undefined> {
    return this.#calls.discover(type);
  }

  async scopeOf(group: string, kind: string): Promise<'Namespaced' | 'Cluster' | undefined> {
    const mapping = await this.#calls.discover({ group, kind });
    if (!mapping) return undefined;
    return mapping.namespaced ? 'Namespaced' : 'Cluster';
  }

  waitForKind(type: TypeRef, timeoutMs?: number): Promise<ResourceMapping> {
    return this.#calls.resolve(type, timeoutMs);
  }

  removeFinalizer(ref: ObjectRef, finalizer: string = HOOK_FINALIZER): Promise<boolean> {
    return removeFinalizer(this.#calls, ref, finalizer, this.#defaultNamespace);
  }

  /** This client, its requests naming `userAgent` (a writer's lease) in the API server's audit log; shares the connection. */
  as(userAgent: string, options: { onRetry?: RetryListener } = {}): ClusterClient {
    return new KubeClusterClient(this.#calls.as(userAgent, options.onRetry), this.#context);
  }

  async capabilities(): Promise<ClusterCapabilities> {
    const [version, core, groups] = await Promise.all(['/version', '/api', '/apis'].map((path) => this.#calls.discoveryRead(path)));
    const apiVersions = [
      ...((core as { versions?: string[] } | undefined)?.versions ?? []),
      ...((groups as { groups?: Array<{ name: string; versions?: Array<{ groupVersion: string }> }> } | undefined)?.groups ?? [])
        .flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion)),
    ];
    return { kubeVersion: String((version as { gitVersion?: string } | undefined)?.gitVersion ?? ''), apiVersions: [...new Set(apiVersions)].sort() };
  }

  /** Drops the REST mapping cache (all of it, or one group's). */
  invalidateDiscovery(group?: string): void {
    if (group === undefined) this.#calls.mapper.invalidateAll();
    else this.#calls.mapper.invalidateGroup(group);
  }

  close(): Promise<void> {
    return this.#calls.transport.close();
  }

  #applyOptions(options: ApplyOptions): ApplyOptions & ApplyContext {
    return { ...options, ...this.#context };
  }
}
