// A real Git smart-HTTP server for tests: a tiny node http server that runs `git http-backend` (the
// CGI program Git ships, the same one behind Apache or nginx on many Git hosts) over bare
// repositories under `root`, on 127.0.0.1 and an ephemeral port. Protocol v2 is passed through the
// `Git-Protocol` header as Git's own http transport does.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedGitRequest {
  method: string;
  path: string;
  query: string;
  authorization: string | undefined;
  /** The request body (POSTs are small: wants, haves, shallow/deepen lines). */
  body: Buffer;
}

export interface RunningGitHttpServer {
  /** `http://127.0.0.1:<port>`; a repository `root/name.git` is at `${url}/name.git`. */
  url: string;
  requests: RecordedGitRequest[];
  stop(): Promise<void>;
}

/** Starts the server over the bare repositories in `root`. */
export async function startGitHttpServer(root: string): Promise<RunningGitHttpServer> {
  const requests: RecordedGitRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://git');
    const record: RecordedGitRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search.slice(1), authorization: req.headers.authorization, body: Buffer.alloc(0) };
    requests.push(record);
    req.on('data', (chunk: Buffer) => (record.body = Buffer.concat([record.body, chunk])));
    runBackend(root, url, req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function runBackend(root: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: '/nonexistent',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: decodeURIComponent(url.pathname),
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: '127.0.0.1',
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
    ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: String(req.headers['git-protocol']) } : {}),
    ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: String(req.headers['content-encoding']) } : {}),
  };
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  req.pipe(child.stdin);
  child.stdin.on('error', () => undefined);
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    writeCgiHead(res, head.subarray(0, end).toString('latin1'));
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => {
    if (!headersDone) res.writeHead(502);
    res.end();
  });
}

function writeCgiHead(res: ServerResponse, text: string): void {
  let status = 200;
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
    else if (name) res.setHeader(name, value);
  }
  res.writeHead(status);
}
