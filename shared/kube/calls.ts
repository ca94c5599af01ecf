/**
 * The request machinery shared by the client's verbs: retried calls with the §6 classification,
 * kind → REST mapping with the bounded wait for kinds that are not served yet, and URL paths.
 * Internal to shared/kube.
 */
import { RestMapper, type ResourceMapping } from './discovery.ts';
import { asStatus, errorForResponse, isTypeNotFound, KindNotServedError } from './errors.ts';
import { DEFAULT_RETRY_POLICY, realRetryEnv, withRetry, type RetryEnv, type RetryPolicy } from './retry.ts';
import type { ApiTransport, KubeRequest, KubeResponse } from './exchange.ts';
import type { RetryListener, TypeRef } from './port.ts';

export interface CallOptions {
  retryPolicy?: RetryPolicy;
  retryEnv?: RetryEnv;
  /** Default wait for a kind to be served before "kind not served"; default 30 s. */
  kindWaitMs?: number;
  /** Discovery poll interval while waiting for a kind; default 500 ms. */
  kindPollMs?: number;
}

export class ClusterCalls {
  readonly mapper: RestMapper;
  readonly policy: RetryPolicy;
  readonly env: RetryEnv;
  readonly kindWaitMs: number;
  readonly kindPollMs: number;
  /** Sent with every call of this copy (see `as`). */
  userAgent?: string;

  constructor(
    readonly transport: ApiTransport,
    options: CallOptions = {},
  ) {
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.env = options.retryEnv ?? realRetryEnv;
    this.kindWaitMs = options.kindWaitMs ?? 30_000;
    this.kindPollMs = options.kindPollMs ?? 500;
    this.mapper = new RestMapper((path) => this.discoveryRead(path));
  }

  /**
   * Sends `req`, retrying transient failures; answers 2xx and the responses `accept` lets through
   * (a list of statuses, or a test), throws the classified error for the rest.
   */
  async call(req: KubeRequest, accept: number[] | ((res: KubeResponse) => boolean) = []): Promise<KubeResponse> {
    const accepted = typeof accept === 'function' ? accept : (res: KubeResponse) => accept.includes(res.status);
    const sent = this.userAgent && !req.userAgent ? { ...req, userAgent: this.userAgent } : req;
    return withRetry(async () => {
      const res = await this.transport.request(sent);
      if ((res.status >= 200 && res.status < 300) || accepted(res)) return res;
      throw errorForResponse(req.what, res.status, res.body, res.headers['retry-after'], req.dryRun);
    }, this.policy, this.env);
  }

  /** The same connection, retries and discovery cache, sending `userAgent` with every call (and telling `onRetry` of each retry). */
  as(userAgent: string, onRetry?: RetryListener): ClusterCalls {
    const env = onRetry ? withListener(this.env, this.policy, onRetry) : this.env;
    return Object.assign(Object.create(ClusterCalls.prototype) as ClusterCalls, this, { userAgent, env });
  }

  async discoveryRead(path: string): Promise<unknown> {
    const res = await this.call({ method: 'GET', path, what: `read discovery ${path}` }, [404]);
    return res.status === 404 ? undefined : res.body;
  }

  /** The mapping of a kind; undefined when not served after one fresh look. */
  async discover(type: TypeRef): Promise<ResourceMapping | undefined> {
    if (type.version) return this.mapper.mappingFor(apiVersionOf(type.group, type.version), type.kind);
    return this.mapper.mappingForGroupKind(type.group, type.kind);
  }

  /** The mapping of a kind, polling discovery for up to `waitMs` (SECURITY.md §6, the CRD rule). */
  async resolve(type: TypeRef, waitMs = this.kindWaitMs): Promise<ResourceMapping> {
    const started = this.env.now();
    for (;;) {
      const found = await this.discover(type);
      if (found) return found;
      if (this.env.now() - started + this.kindPollMs > waitMs) {
        const apiVersion = type.version ? apiVersionOf(type.group, type.version) : type.group || 'v1';
        throw new KindNotServedError(apiVersion, type.kind, waitMs > 0 ? `waited ${Math.round(waitMs / 1000)}s` : '');
      }
      await this.env.sleep(this.kindPollMs);
    }
  }

  /** True when a response says the resource type itself is unknown (stale discovery). */
  static isTypeNotFound(res: KubeResponse): boolean {
    return res.status === 404 && isTypeNotFound(asStatus(res.body));
  }
}

function withListener(env: RetryEnv, policy: RetryPolicy, listener: RetryListener): RetryEnv {
  return {
    ...env,
    onRetry: async (attempt, error, delayMs) => {
      await env.onRetry?.(attempt, error, delayMs);
      await listener({ error, attempt, maxAttempts: policy.maxAttempts, delayMs });
    },
  };
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** `/apis/apps/v1/namespaces/team/deployments/web` (core group under `/api/v1`). */
export function resourcePath(m: ResourceMapping, namespace?: string, name?: string): string {
  const root = m.group ? `/apis/${m.group}/${m.version}` : `/api/${m.version}`;
  const ns = m.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${root}${ns}/${m.resource}${tail}`;
}

/** kubectl's object wording: `deployment.apps/web`, `configmap/settings`. */
export function objectLabel(m: Pick<ResourceMapping, 'group' | 'kind'>, name: string): string {
  return `${m.kind.toLowerCase()}${m.group ? `.${m.group}` : ''}/${name}`;
}

/** For error messages: `deployments.apps team/web`. */
export function describeTarget(m: ResourceMapping, namespace: string | undefined, name: string): string {
  const where = m.namespaced && namespace ? `${namespace}/` : '';
  return `${m.resource}${m.group ? `.${m.group}` : ''} ${where}${name}`;
}
