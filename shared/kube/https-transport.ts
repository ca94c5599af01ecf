/**
 * The transport for EKS clusters, on `node:https` alone: the cluster's CA from DescribeCluster, a
 * bearer token from the token source, keep-alive connections. It exists so that Lambda bundles
 * need not carry `@kubernetes/client-node` and undici (1.1 MB, most of a cold start) for what EKS
 * needs: one CA and one token. Same contract as KubeTransport: a 401 gets one retry with a fresh
 * token, network failures become `TransientClusterError`s, credentials never appear in errors.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { ClusterAuthError, errorForNetwork, errorForResponse } from './errors.ts';
import { isLoopbackHost, parseBody, type ApiTransport, type BearerSource, type KubeRequest, type KubeResponse } from './exchange.ts';

export interface HttpsTransportOptions {
  server: string;
  /** PEM text of the cluster's certificate authority (base64-decoded `certificateAuthority.data`). */
  ca?: string;
  bearer: BearerSource;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
}

export class HttpsTransport implements ApiTransport {
  readonly server: string;
  readonly #url: URL;
  readonly #agent: HttpAgent | HttpsAgent;
  readonly #bearer: BearerSource;
  readonly #timeoutMs: number;

  constructor(options: HttpsTransportOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.#url = new URL(this.server);
    if (this.#url.protocol === 'http:' && !isLoopbackHost(this.#url.hostname)) {
      throw new ClusterAuthError(`failed to connect: refusing to send credentials over plain http to ${this.#url.hostname}`);
    }
    this.#agent = this.#url.protocol === 'http:'
      ? new HttpAgent({ keepAlive: true })
      : new HttpsAgent({ keepAlive: true, ...(options.ca ? { ca: options.ca } : {}) });
    this.#bearer = options.bearer;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async request(req: KubeRequest): Promise<KubeResponse> {
    const first = await this.#exchange(req, await this.#bearer.token());
    if (first.status !== 401) return first;
    const second = await this.#exchange(req, await this.#bearer.refresh());
    if (second.status === 401) throw errorForResponse(req.what, 401, second.body);
    return second;
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }

  #exchange(req: KubeRequest, token: { value(): string }): Promise<KubeResponse> {
    const url = new URL(this.server + req.path);
    for (const [name, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(name, value);
    const body = req.body === undefined ? undefined : JSON.stringify(req.body);
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token.value()}` };
    if (req.userAgent) headers['User-Agent'] = req.userAgent;
    if (body !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise<KubeResponse>((resolve, reject) => {
      const call = send(url, { method: req.method, headers, agent: this.#agent, signal: AbortSignal.timeout(this.#timeoutMs) }, (res) => {
        readAll(res).then(
          (text) => resolve({ status: res.statusCode ?? 0, headers: flatHeaders(res), body: parseBody(text) }),
          (error: unknown) => reject(errorForNetwork(req.what, error)),
        );
      });
      call.on('error', (error) => reject(errorForNetwork(req.what, error)));
      call.end(body);
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function flatHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}
