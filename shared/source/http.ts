/**
 * Outbound HTTP for the source adapters, with the rules SECURITY.md asks of every fetch: a byte cap
 * on the body (checked against Content-Length first, then counted), the call's deadline, redirects
 * followed by hand (at most 5, never from https down to http) and credentials sent only to the one
 * origin they belong to, in a header, never in a URL (GHSA-q4f6-wc8m-r246). Messages name a URL as
 * origin + path only: a redirect target can carry a token in its query string.
 */
import { SourceError, SourceFetchError, SourceRefusedError, describeError } from './errors.ts';

/** One request. */
export interface HttpRequest {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: Uint8Array;
  signal: AbortSignal;
  /** Most body bytes accepted. */
  maxBytes: number;
  /** `Authorization` value, sent only while the request is at `origin`. */
  auth?: { origin: string; header: string };
  /** Allow plain http (loopback stand-ins and tests); https is always allowed. */
  allowHttp?: boolean;
  /** Values to scrub from messages (the token). */
  secrets?: readonly string[];
}

/** A response whose body is counted against the cap as it is read. */
export interface HttpResponse {
  status: number;
  url: string;
  headers: Headers;
  body: AsyncIterable<Uint8Array>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** `url` without credentials, query or fragment: safe in a message. */
export function describeUrl(url: string | URL): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

/** Sends `request` to `url`, following redirects; the caller reads (or drops) `body`. */
export async function httpRequest(url: string, request: HttpRequest): Promise<HttpResponse> {
  let current = checkScheme(new URL(url), request, undefined);
  for (let hop = 0; ; hop++) {
    const response = await send(current, request);
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || !location) return capped(response, current, request);
    await response.body?.cancel();
    if (hop >= MAX_REDIRECTS) throw new SourceFetchError(`too many redirects from ${describeUrl(url)}`);
    if (request.method === 'POST') throw new SourceFetchError(`${describeUrl(current)} redirected a POST request`);
    current = checkScheme(new URL(location, current), request, current);
  }
}

/** The whole body as one buffer (still under the cap). */
export async function readBody(response: HttpResponse): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of response.body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function checkScheme(next: URL, request: HttpRequest, from: URL | undefined): URL {
  const secure = next.protocol === 'https:';
  if (!secure && !(next.protocol === 'http:' && request.allowHttp)) {
    throw new SourceRefusedError(`refused to fetch ${describeUrl(next)}: only https is allowed`);
  }
  if (from?.protocol === 'https:' && !secure) {
    throw new SourceRefusedError(`refused redirect from ${describeUrl(from)} to plain http ${describeUrl(next)}`);
  }
  return next;
}

async function send(url: URL, request: HttpRequest): Promise<Response> {
  const headers: Record<string, string> = { 'user-agent': 'gitwave', ...request.headers };
  if (request.auth && url.origin === request.auth.origin) headers.authorization = request.auth.header;
  try {
    return await fetch(url, { method: request.method ?? 'GET', headers, body: request.body, redirect: 'manual', signal: request.signal });
  } catch (error) {
    if (request.signal.aborted) throw error;
    throw new SourceFetchError(`failed to fetch ${describeUrl(url)}: ${describeError(error)}`, request.secrets);
  }
}

function capped(response: Response, url: URL, request: HttpRequest): HttpResponse {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > request.maxBytes) {
    void response.body?.cancel();
    throw tooBig(url, request.maxBytes);
  }
  return { status: response.status, url: url.href, headers: response.headers, body: countBytes(response, url, request) };
}

async function* countBytes(response: Response, url: URL, request: HttpRequest): AsyncGenerator<Uint8Array> {
  if (!response.body) return;
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > request.maxBytes) throw tooBig(url, request.maxBytes);
      yield value;
    }
  } catch (error) {
    if (error instanceof SourceError || request.signal.aborted) throw error;
    throw new SourceFetchError(`failed to read ${describeUrl(url)}: ${describeError(error)}`, request.secrets);
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function tooBig(url: URL, maxBytes: number): SourceRefusedError {
  return new SourceRefusedError(`refused download from ${describeUrl(url)}: more than ${maxBytes} bytes (limit reached)`);
}
