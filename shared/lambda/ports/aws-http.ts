/**
 * AWS calls made over node:http(s) and signed with the SDK's own SigV4 signer (@smithy/signature-v4,
 * which every bundle already carries for DynamoDB), for the few calls whose SDK client would weigh
 * more than the function can carry: S3 GetObject/PutObject (aws-s3-blobs.ts) and Lambda Invoke
 * (planner). The S3 and Lambda clients add about 245 kB to a bundle (every operation's schema and
 * error class, the S3 endpoint rules, XML and checksums), which kept the render λ over 1 MB.
 *
 * Endpoints follow the SDK's variables: `AWS_ENDPOINT_URL_<SERVICE>`, then `AWS_ENDPOINT_URL`, then
 * the service's regional endpoint; credentials come from the SDK's chain (in bundles, the
 * environment Lambda sets). Like the SDK's standard retry mode, a call is made up to three times
 * when the connection fails, AWS throttles (429) or answers 5xx, with a jittered backoff.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsRequest {
  method: 'GET' | 'PUT' | 'POST';
  url: URL;
  headers?: Record<string, string>;
  body?: string;
}

export interface AwsAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

/** AWS refused a call: its HTTP status, its error code (`NoSuchBucket`, `ResourceNotFoundException`) and message. */
export class AwsHttpError extends Error {
  override readonly name = 'AwsHttpError';
  constructor(readonly service: string, readonly status: number, readonly code: string, message: string) {
    super(`${service}: ${code} (HTTP ${status}): ${message}`);
  }
}

/** One service's signed caller. */
export interface AwsHttpService {
  readonly region: string;
  /** The endpoint set for the service (a local emulator), or undefined for AWS's own. */
  readonly customEndpoint: URL | undefined;
  send(request: AwsRequest): Promise<AwsAnswer>;
}

const ATTEMPTS = 3;
const BACKOFF_BASE_MS = 100;
const RETRIED_NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN']);
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/**
 * The signed caller of `service` (signing name), its endpoint variable named by `envKey` (`S3`, `LAMBDA`).
 * @example const s3 = awsHttpService('s3', 'S3', { uriEscapePath: false, applyChecksum: true });
 */
export function awsHttpService(service: string, envKey: string, signing: { uriEscapePath?: boolean; applyChecksum?: boolean } = {}): AwsHttpService {
  const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (!region) throw new Error(`${service}: no region (AWS_REGION is not set)`);
  const endpoint = process.env[`AWS_ENDPOINT_URL_${envKey}`] ?? process.env.AWS_ENDPOINT_URL;
  const signer = new SignatureV4({
    credentials: defaultProvider(), region, service, sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: signing.uriEscapePath ?? true, applyChecksum: signing.applyChecksum ?? false,
  });
  return {
    region,
    customEndpoint: endpoint ? new URL(endpoint) : undefined,
    async send(request) {
      for (let attempt = 1; ; attempt++) {
        try {
          const answer = await exchange(await signer.sign(toSignable(request)) as Signable, request.url);
          if (attempt < ATTEMPTS && (answer.status === 429 || answer.status >= 500)) {
            await backoff(attempt);
            continue;
          }
          return answer;
        } catch (error) {
          if (attempt >= ATTEMPTS || !RETRIED_NETWORK_CODES.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
          await backoff(attempt);
        }
      }
    },
  };
}

/** The error of a non-2xx answer, its code and message taken from XML (S3) or JSON (Lambda) and headers. */
export function answerError(service: string, answer: AwsAnswer): AwsHttpError {
  const text = answer.body.toString('utf8');
  const header = String(answer.headers['x-amzn-errortype'] ?? '').split(':')[0];
  let json: { message?: string; Message?: string; __type?: string } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // S3 answers XML
  }
  const code = header || json.__type || /<Code>([^<]*)<\/Code>/.exec(text)?.[1] || `Http${answer.status}`;
  const message = json.message ?? json.Message ?? /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? 'no message';
  return new AwsHttpError(service, answer.status, code, message);
}

/** RFC 3986 encoding of each path segment, as SigV4 wants it (encodeURIComponent leaves !'()* alone). */
export function encodePath(segments: readonly string[]): string {
  return segments.map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}

interface Signable {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body?: string;
}

function toSignable(request: AwsRequest): Signable {
  const { url } = request;
  return {
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: {
      host: url.host,
      ...request.headers,
      ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}),
    },
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
}

function exchange(signed: Signable, url: URL): Promise<AwsAnswer> {
  const https = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (https ? httpsRequest : httpRequest)({
      method: signed.method, hostname: url.hostname, port: url.port || undefined, path: `${url.pathname}${url.search}`,
      headers: signed.headers, agent: https ? agents.https : agents.http,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(signed.body);
  });
}

function backoff(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * BACKOFF_BASE_MS * 2 ** attempt));
}
