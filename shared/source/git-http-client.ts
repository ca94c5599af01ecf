/**
 * The HTTP client isomorphic-git talks through, built on `http.ts`: the call's deadline, one byte
 * cap for everything the call downloads, credentials only for the repository's own origin, and
 * the pack guard run over each upload-pack response before isomorphic-git parses it.
 */
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { SourceRefusedError } from './errors.ts';
import { httpRequest, readBody, type HttpRequest } from './http.ts';
import { guardUploadPack } from './pack-guard.ts';
import type { SourceLimits } from './types.ts';

/** What one call's client needs. */
export interface GitClientContext {
  signal: AbortSignal;
  limits: SourceLimits;
  where: string;
  allowHttp?: boolean;
  auth?: HttpRequest['auth'];
  secrets?: readonly string[];
}

/** An isomorphic-git `HttpClient` for one call; `downloaded` counts bytes across its requests. */
export function gitHttpClient(context: GitClientContext): HttpClient & { downloaded(): number } {
  let downloaded = 0;
  const request = async (req: GitHttpRequest): Promise<GitHttpResponse> => {
    const body = req.body ? Buffer.concat(await collect(req.body)) : undefined;
    const remaining = context.limits.maxDownloadBytes - downloaded;
    if (remaining <= 0) throw new SourceRefusedError(`refused download from ${context.where}: more than ${context.limits.maxDownloadBytes} bytes (limit reached)`);
    const response = await httpRequest(req.url, {
      method: req.method === 'POST' ? 'POST' : 'GET',
      headers: req.headers,
      body,
      signal: context.signal,
      maxBytes: remaining,
      allowHttp: context.allowHttp,
      auth: context.auth,
      secrets: context.secrets,
    });
    const bytes = await readBody(response);
    downloaded += bytes.length;
    if (response.status === 200 && req.url.endsWith('/git-upload-pack')) guardUploadPack(bytes, context.limits, context.where);
    return {
      url: response.url,
      method: req.method,
      statusCode: response.status,
      statusMessage: String(response.status),
      headers: Object.fromEntries(response.headers),
      body: (async function* () {
        yield bytes;
      })(),
    };
  };
  return { request, downloaded: () => downloaded };
}

async function collect(body: AsyncIterable<Uint8Array> | Uint8Array[]): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return chunks;
}
