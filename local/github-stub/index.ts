/**
 * A local stand-in for the parts of GitHub's REST API that gitwave's source adapter calls (there is
 * no local server for GitHub's API), speaking its documented wire format over real local Git
 * repositories:
 * - `GET /repos/{owner}/{repo}/commits/{ref}` (with `Accept: application/vnd.github.sha`: the SHA as text)
 * - `GET /repos/{owner}/{repo}/git/ref/{ref}` (exact match only) and `GET …/git/tags/{sha}`
 * - `GET /repos/{owner}/{repo}/tarball/{ref}` → 302 to a second listener playing codeload.github.com,
 *   which serves `git archive --format=tar.gz --prefix=<owner>-<repo>-<sha7>/`.
 * With a `token`, requests without it get 404 (a private repository looks absent) and a wrong one
 * 401, as on GitHub. Paths may carry GitHub Enterprise's `/api/v3` prefix. Every request is
 * recorded (whether it carried credentials, never their value), and a test can replace a tarball
 * with hand-made bytes. Used by the tests and the local runtime.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { archive, commitOf, exactRef, tagObject } from './git.ts';

export interface GitHubStubOptions {
  /** `owner/repo` → path of a local Git repository (bare or with a work tree). */
  repos: Record<string, string>;
  /** When set, the API requires `Authorization: Bearer <token>` (or `token <token>`). */
  token?: string;
  /** Listen address; default 127.0.0.1 (both listeners use ephemeral ports). */
  host?: string;
}

export interface StubRequest {
  server: 'api' | 'codeload';
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  authorization: boolean;
}

export interface RunningGitHubStub {
  /** The API base URL to configure the GitHub adapter with. */
  apiUrl: string;
  /** The codeload listener's base URL (a different origin from the API). */
  codeloadUrl: string;
  requests: StubRequest[];
  /** Serve `body` as the tarball of `owner/repo` at `sha` instead of `git archive`. */
  setTarball(ownerRepo: string, sha: string, body: Buffer): void;
  stop(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** Starts the API and codeload listeners on ephemeral ports. */
export async function startGitHubStub(options: GitHubStubOptions): Promise<RunningGitHubStub> {
  const host = options.host ?? '127.0.0.1';
  const requests: StubRequest[] = [];
  const tarballs = new Map<string, Buffer>();
  const codeload = await listen(host, 'codeload', requests, (req, res, url) => serveCodeload(options, tarballs, res, url));
  const codeloadUrl = baseUrl(codeload, host);
  const api = await listen(host, 'api', requests, (req, res, url) => serveApi(options, codeloadUrl, req, res, url));
  return {
    apiUrl: baseUrl(api, host),
    codeloadUrl,
    requests,
    setTarball: (ownerRepo, sha, body) => tarballs.set(`${ownerRepo}@${sha}`, body),
    stop: async () => {
      await Promise.all([api, codeload].map((server) => new Promise((done) => server.close(done))));
    },
  };
}

function baseUrl(server: Server, host: string): string {
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

async function listen(host: string, name: StubRequest['server'], log: StubRequest[], handler: Handler): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    log.push({ server: name, method: req.method ?? 'GET', path: url.pathname, query: url.search.slice(1), authorization: Boolean(req.headers.authorization) });
    handler(req, res, url).catch(() => send(res, 500, { message: 'Server Error' }));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return server;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json; charset=utf-8'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) }).end(text);
}

/** 401/404 as GitHub answers them, or undefined when the request may proceed. */
function denied(options: GitHubStubOptions, req: IncomingMessage): [number, unknown] | undefined {
  if (!options.token) return undefined;
  const header = req.headers.authorization;
  if (!header) return [404, { message: 'Not Found' }];
  const given = /^(?:bearer|token)\s+(.+)$/i.exec(header)?.[1];
  return given === options.token ? undefined : [401, { message: 'Bad credentials' }];
}

async function serveApi(options: GitHubStubOptions, codeloadUrl: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  // GitHub Enterprise serves the same API under /api/v3.
  const match = /^(?:\/api\/v3)?\/repos\/([^/]+)\/([^/]+)\/(commits|git\/ref|git\/tags|tarball)(?:\/(.+))?$/.exec(url.pathname);
  const repo = match && options.repos[`${match[1]}/${match[2]}`];
  const refusal = denied(options, req);
  if (refusal) return send(res, ...refusal);
  if (!match || !repo || req.method !== 'GET') return send(res, 404, { message: 'Not Found' });
  const [, owner, name, route, rest = ''] = match;
  const arg = decodeURIComponent(rest);
  if (route === 'commits') return serveCommit(repo, arg, req, res);
  if (route === 'git/ref') return serveRef(repo, arg, res);
  if (route === 'git/tags') return serveTag(repo, arg, res);
  const sha = await commitOf(repo, arg || 'HEAD');
  if (!sha) return send(res, 404, { message: 'Not Found' });
  const location = `${codeloadUrl}/${owner}/${name}/legacy.tar.gz/${sha}?token=${randomBytes(12).toString('hex')}`;
  res.writeHead(302, { location, 'content-length': 0 }).end();
}

async function serveCommit(repo: string, ref: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const sha = await commitOf(repo, ref);
  if (!sha) return send(res, 422, { message: `No commit found for SHA: ${ref}` });
  if (req.headers.accept?.includes('application/vnd.github.sha')) return send(res, 200, sha, 'application/vnd.github.sha; charset=utf-8');
  send(res, 200, { sha, commit: {} });
}

async function serveRef(repo: string, ref: string, res: ServerResponse): Promise<void> {
  const found = await exactRef(repo, `refs/${ref}`);
  if (!found) return send(res, 404, { message: 'Not Found' });
  send(res, 200, { ref: `refs/${ref}`, object: { type: found.type, sha: found.sha } });
}

async function serveTag(repo: string, sha: string, res: ServerResponse): Promise<void> {
  const tag = await tagObject(repo, sha);
  if (!tag) return send(res, 404, { message: 'Not Found' });
  send(res, 200, { sha, tag: tag.tag, object: { type: tag.type, sha: tag.sha } });
}

async function serveCodeload(options: GitHubStubOptions, tarballs: Map<string, Buffer>, res: ServerResponse, url: URL): Promise<void> {
  const match = /^\/([^/]+)\/([^/]+)\/legacy\.tar\.gz\/([0-9a-f]{40})$/.exec(url.pathname);
  const repo = match && options.repos[`${match[1]}/${match[2]}`];
  if (!match || !repo) return send(res, 404, 'Not Found', 'text/plain');
  const [, owner, name, sha] = match;
  const override = tarballs.get(`${owner}/${name}@${sha}`);
  if (override) return void res.writeHead(200, { 'content-type': 'application/x-gzip' }).end(override);
  res.writeHead(200, { 'content-type': 'application/x-gzip' });
  const child = archive(repo, sha, `${owner}-${name}-${sha.slice(0, 7)}`);
  child.stdout!.pipe(res);
  res.on('close', () => child.kill());
}
