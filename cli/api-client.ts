/**
 * A small client for the gitwave API. Local endpoints are called as they are; an AWS endpoint
 * (IAM authorisation on the HTTP API) gets its requests signed with SigV4 (service `execute-api`)
 * from the usual AWS credential chain. `sign: true` signs a loopback URL too (a tunnel, and tests).
 */
import { ApiError, CliError } from './errors.ts';

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown, contentType?: string): Promise<T>;
  delete<T>(path: string, body?: unknown): Promise<T>;
}

export interface ApiClientOptions {
  /** Sign with SigV4: true always, false never, absent = unless the endpoint is on loopback. */
  sign?: boolean;
  region?: string;
}

export function apiClient(endpoint: string, options: ApiClientOptions = {}): ApiClient {
  const call = async <T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> => {
    const url = `${endpoint}${path}`;
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': contentType };
    const sign = options.sign ?? !isLoopback(url);
    const signed = sign ? await signForAws(method, url, headers, payload, options.region) : headers;
    const res = await fetchRetryingResets(url, { method, headers: signed, body: payload }, method === 'GET' ? GET_ATTEMPTS : 1)
      .catch((error: Error) => { throw new CliError(`cannot reach the gitwave API at ${endpoint}: ${error.cause ?? error.message}`); });
    const text = await res.text();
    const data = text ? safeJson(text) : undefined;
    if (!res.ok) {
      const message = (data as { message?: string } | undefined)?.message ?? text ?? res.statusText;
      throw new ApiError(`${method} ${path}: ${res.status} ${message}`, res.status, message);
    }
    return data as T;
  };
  return {
    get: (path) => call('GET', path),
    post: (path, body, contentType) => call('POST', path, body, contentType),
    delete: (path, body) => call('DELETE', path, body),
  };
}

/** A GET is safe to send again: a reset connection (a reused keep-alive socket the server closed) is retried. */
const GET_ATTEMPTS = 3;

async function fetchRetryingResets(url: string, init: RequestInit, attempts: number): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      const code = ((error as Error).cause as { code?: string } | undefined)?.code;
      if (attempt >= attempts || (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

/** The region of an execute-api host name, else the one given, else AWS_REGION, else us-east-1. */
export function regionOf(hostname: string, explicit?: string): string {
  return explicit ?? /execute-api\.([a-z0-9-]+)\.amazonaws\.com$/.exec(hostname)?.[1] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1';
}

async function signForAws(method: string, url: string, headers: Record<string, string>, body: string | undefined, region?: string): Promise<Record<string, string>> {
  const [{ SignatureV4 }, { Sha256 }, { defaultProvider }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/hash-node').then((m) => ({ Sha256: m.Hash.bind(null, 'sha256') })),
    import('@aws-sdk/credential-provider-node'),
  ]);
  const parsed = new URL(url);
  const signer = new SignatureV4({ service: 'execute-api', region: regionOf(parsed.hostname, region), credentials: defaultProvider(), sha256: Sha256 as never });
  const request = await signer.sign({
    method,
    protocol: parsed.protocol,
    hostname: parsed.hostname,
    path: parsed.pathname,
    query: Object.fromEntries(parsed.searchParams),
    headers: { ...headers, host: parsed.host },
    body,
  });
  return request.headers as Record<string, string>;
}
