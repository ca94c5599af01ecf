/**
 * One HTTP exchange with a Kubernetes API server, on `@kubernetes/client-node`: its `KubeConfig`
 * supplies TLS (CA, client certificates, skip-verify) and user authentication (tokens, exec plugins,
 * basic auth), its fetch library sends the request. An optional bearer source (the EKS token) takes
 * the place of the kubeconfig user. A 401 gets one retry with fresh credentials (SECURITY.md §6);
 * network failures become `TransientClusterError`s. Retrying, and deciding what a status means, is
 * the caller's business. Credentials never appear in errors.
 */
import { HttpMethod, IsomorphicFetchHttpLibrary, RequestContext } from '@kubernetes/client-node';
import type { Cluster, KubeConfig } from '@kubernetes/client-node';
import { ClusterAuthError, errorForNetwork, errorForResponse } from './errors.ts';
import { isLoopbackHost, parseBody, type ApiTransport, type KubeRequest, type KubeResponse, type TransportOptions } from './exchange.ts';

export type { BearerSource, KubeRequest, KubeResponse, TransportOptions } from './exchange.ts';

interface AuthState {
  headers: Record<string, string>;
  dispatcher: ReturnType<RequestContext['getDispatcher']>;
  at: number;
}

export class KubeTransport implements ApiTransport {
  readonly server: string;
  readonly #kc: KubeConfig;
  readonly #http = new IsomorphicFetchHttpLibrary();
  readonly #options: Required<Omit<TransportOptions, 'bearer'>> & Pick<TransportOptions, 'bearer'>;
  #auth: Promise<AuthState> | undefined;

  constructor(kc: KubeConfig, options: TransportOptions = {}) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new ClusterAuthError('failed to connect: the kubeconfig has no current cluster');
    this.server = cluster.server.replace(/\/+$/, '');
    allowPlainHttpOnLoopback(kc, cluster);
    this.#kc = kc;
    this.#options = { timeoutMs: 30_000, authTtlMs: 60_000, ...options };
  }

  /** Sends one request; answers with whatever status the server gave, except a 401 after a refresh. */
  async request(req: KubeRequest): Promise<KubeResponse> {
    const first = await this.#exchange(req);
    if (first.status !== 401) return first;
    await this.#refreshCredentials();
    const second = await this.#exchange(req);
    if (second.status === 401) throw errorForResponse(req.what, 401, second.body);
    return second;
  }

  async #exchange(req: KubeRequest): Promise<KubeResponse> {
    const ctx = new RequestContext(this.#url(req), HttpMethod[req.method]);
    const auth = await this.#authState();
    for (const [name, value] of Object.entries(auth.headers)) ctx.setHeaderParam(name, value);
    if (auth.dispatcher) ctx.setDispatcher(auth.dispatcher);
    if (this.#options.bearer) ctx.setHeaderParam('Authorization', `Bearer ${(await this.#options.bearer.token()).value()}`);
    ctx.setHeaderParam('Accept', 'application/json');
    if (req.userAgent) ctx.setHeaderParam('User-Agent', req.userAgent);
    if (req.body !== undefined) {
      ctx.setHeaderParam('Content-Type', req.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(req.body));
    }
    ctx.setSignal(AbortSignal.timeout(this.#options.timeoutMs));
    try {
      const res = await this.#http.send(ctx).toPromise();
      const text = await res.body.text();
      return { status: res.httpStatusCode, headers: res.headers, body: parseBody(text) };
    } catch (err) {
      throw errorForNetwork(req.what, err);
    }
  }

  #url(req: KubeRequest): string {
    const url = new URL(this.server + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value);
    }
    return url.toString();
  }

  /** TLS settings and kubeconfig headers, computed once and reused for `authTtlMs` (connections are pooled). */
  async #authState(): Promise<AuthState> {
    const current = this.#auth;
    if (current) {
      const state = await current;
      if (Date.now() - state.at < this.#options.authTtlMs) return state;
      this.#auth = this.#loadAuth(state);
    }
    this.#auth ??= this.#loadAuth(undefined);
    return this.#auth;
  }

  async #loadAuth(previous: AuthState | undefined): Promise<AuthState> {
    const probe = new RequestContext(this.server, HttpMethod.GET);
    await this.#kc.applySecurityAuthentication(probe);
    const fresh = probe.getDispatcher();
    // Keep the first connection pool: a new one per refresh would drop keep-alive connections.
    if (previous?.dispatcher && fresh && fresh !== previous.dispatcher) await fresh.close();
    return { headers: { ...probe.getHeaders() }, dispatcher: previous?.dispatcher ?? fresh, at: Date.now() };
  }

  async #refreshCredentials(): Promise<void> {
    if (this.#options.bearer) {
      await this.#options.bearer.refresh();
      return;
    }
    const previous = this.#auth ? await this.#auth : undefined;
    this.#auth = this.#loadAuth(previous);
    await this.#auth;
  }

  /** Closes pooled connections (tests and the CLI call this before exiting). */
  async close(): Promise<void> {
    const state = this.#auth ? await this.#auth.catch(() => undefined) : undefined;
    this.#auth = undefined;
    await state?.dispatcher?.close();
  }
}

/**
 * client-node refuses `http:` servers unless skip-TLS-verify is set (kubectl does not). Plain http
 * has no TLS to verify, so setting the flag changes nothing but that refusal; it is allowed only on
 * loopback (the simulator, a port-forward), where a token cannot be read off the wire.
 */
function allowPlainHttpOnLoopback(kc: KubeConfig, cluster: Cluster): void {
  if (!cluster.server.startsWith('http:') || cluster.skipTLSVerify) return;
  const host = new URL(cluster.server).hostname;
  if (!isLoopbackHost(host)) {
    throw new ClusterAuthError(`failed to connect: refusing to send credentials over plain http to ${host}`);
  }
  kc.clusters = kc.clusters.map((c) => (c === cluster ? { ...c, skipTLSVerify: true } : c));
}
