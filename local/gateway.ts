/**
 * The local stand-in for API Gateway (HTTP API, payload format 2.0): turns each HTTP request into
 * an `APIGatewayProxyEventV2` for the very handler the stack deploys, and the handler's result back
 * into an HTTP response. Bodies are passed as API Gateway passes them: text as is, anything else
 * base64 with `isBase64Encoded: true`, so the webhook verifies its HMAC over the same bytes it will
 * see in AWS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type HttpHandler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<unknown>;

/** One route: `method` ('ANY' for all) and a path pattern such as `/webhooks/github` or `/api/{proxy+}`. */
export interface Route {
  method: string;
  path: string;
  handler: HttpHandler;
}

export interface GatewayOptions {
  routes: Route[];
  port?: number;
  host?: string;
  /** Requests no route matches go here (the dashboard's static files later). */
  fallback?: (req: IncomingMessage, res: ServerResponse) => void;
  /** The API Gateway cap on request bodies: 10 MB for HTTP APIs. */
  maxBodyBytes?: number;
}

export interface RunningGateway {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|.*\+json|.*\+xml|yaml|x-yaml))/i;

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const maxBody = options.maxBodyBytes ?? 10 * 1024 * 1024;
  const server = createServer((req, res) => {
    void serve(req, res, options, maxBody).catch((error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
      process.stderr.write(`gateway: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });
  // Longer than a client's idle keep-alive (undici keeps 4 s): at Node's default of 5 s a loaded
  // machine lets the server close a socket the CLI is just reusing, which the CLI sees as ECONNRESET.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    server,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, options: GatewayOptions, maxBody: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://gateway.local');
  const match = matchRoute(options.routes, req.method ?? 'GET', url.pathname);
  if (!match) {
    if (options.fallback) return options.fallback(req, res);
    return send(res, { statusCode: 404, body: JSON.stringify({ message: 'Not Found' }) });
  }
  const body = await readBody(req, maxBody);
  if (body === undefined) return send(res, { statusCode: 413, body: JSON.stringify({ message: 'Request Entity Too Large' }) });
  const event = toEvent(req, url, body, match);
  const result = await match.route.handler(event, { awsRequestId: event.requestContext.requestId });
  send(res, shapeResult(result));
}

interface RouteMatch {
  route: Route;
  pathParameters: Record<string, string>;
}

/** Matches `/api/apps/{name}` and greedy `{proxy+}` segments the way API Gateway does. */
export function matchRoute(routes: Route[], method: string, path: string): RouteMatch | undefined {
  for (const route of routes) {
    if (route.method !== 'ANY' && route.method !== method) continue;
    const params: Record<string, string> = {};
    const want = route.path.split('/');
    const have = path.split('/');
    let ok = true;
    for (let i = 0; i < want.length && ok; i++) {
      const greedy = /^\{(\w+)\+\}$/.exec(want[i]);
      const single = /^\{(\w+)\}$/.exec(want[i]);
      if (greedy) {
        params[greedy[1]] = have.slice(i).map(decodeURIComponent).join('/');
        ok = have.length > i;
        break;
      }
      if (single) params[single[1]] = decodeURIComponent(have[i] ?? '');
      else ok = want[i] === have[i];
      if (i === want.length - 1 && have.length !== want.length) ok = false;
    }
    if (ok) return { route, pathParameters: params };
  }
  return undefined;
}

function toEvent(req: IncomingMessage, url: URL, body: Buffer, match: RouteMatch): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const isText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
  const query = Object.fromEntries(url.searchParams.entries());
  const routeKey = `${match.route.method} ${match.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: Object.keys(match.pathParameters).length ? match.pathParameters : undefined,
    body: body.length ? (isText ? body.toString('utf8') : body.toString('base64')) : undefined,
    isBase64Encoded: !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: { method: req.method ?? 'GET', path: url.pathname, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}

/** Payload format 2.0: a result without statusCode is a 200 with the value as JSON. */
function shapeResult(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result) return result as APIGatewayProxyStructuredResultV2;
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: typeof result === 'string' ? result : JSON.stringify(result) };
}

function send(res: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
  const headers: Record<string, string | number | boolean> = { ...(result.headers ?? {}) };
  if (result.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  res.writeHead(result.statusCode ?? 200, headers as Record<string, string>);
  res.end(body);
}

function readBody(req: IncomingMessage, maxBody: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
