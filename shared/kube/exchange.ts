/**
 * What a transport to a Kubernetes API server is, whichever carries the bytes: KubeTransport
 * (`@kubernetes/client-node`, any kubeconfig) or HttpsTransport (`node:https`, EKS). The client's
 * calls only see this.
 */

/** Where bearer tokens come from when the kubeconfig user does not supply them (EKS). */
export interface BearerSource {
  token(): Promise<{ value(): string }>;
  refresh(): Promise<{ value(): string }>;
}

export interface KubeRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** The API path, e.g. `/apis/apps/v1/namespaces/team/deployments/web`. */
  path: string;
  query?: Record<string, string | undefined>;
  /** Serialised as JSON. */
  body?: unknown;
  contentType?: string;
  /** For messages: e.g. `apply deployments.apps team/web`. */
  what: string;
  /** Lets errors recognise a webhook's refusal of a dry run. */
  dryRun?: boolean;
  /** Sent as User-Agent, which the API server's audit log records: a writer's lease (`ClusterClient.as`). */
  userAgent?: string;
}

export interface KubeResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or the text when the body is not JSON. */
  body: unknown;
}

export interface TransportOptions {
  /** Replaces the kubeconfig user's credentials (EKS tokens). */
  bearer?: BearerSource;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** How long kubeconfig-derived headers are reused before asking the KubeConfig again; default 60 s. */
  authTtlMs?: number;
}

/** One API server's HTTP exchange, and its connections. */
export interface ApiTransport {
  readonly server: string;
  /** Sends one request; answers with whatever status the server gave, except a 401 after a refresh. */
  request(req: KubeRequest): Promise<KubeResponse>;
  /** Closes pooled connections. */
  close(): Promise<void>;
}

/** Plain http is allowed only where a token cannot be read off the wire (the simulator, a port-forward). */
export function isLoopbackHost(host: string): boolean {
  return ['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host);
}

export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
