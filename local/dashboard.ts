/**
 * The dashboard on the local gateway: web/dist's files at `/`, built first when missing or stale
 * (web/build.ts), and index.html for every other GET that is not a file, so a deep link such as
 * `/apps/orders-dev/diff` opens the page it names (the single-page app routes on the client).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { DIST, ensureDashboard } from '../web/build.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json', '.map': 'application/json',
};

/** Builds the dashboard when needed and returns the gateway's fallback that serves it. */
export async function dashboardFallback(dist = DIST): Promise<(req: IncomingMessage, res: ServerResponse) => void> {
  if (dist === DIST) await ensureDashboard();
  return (req, res) => serveDashboard(dist, req, res);
}

function serveDashboard(dist: string, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { 'content-type': 'application/json', allow: 'GET, HEAD' });
    res.end(JSON.stringify({ message: 'Method Not Allowed' }));
    return;
  }
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://local').pathname);
  const file = normalize(join(dist, path));
  const inside = file.startsWith(dist + sep);
  const isFile = inside && existsSync(file) && statSync(file).isFile() && !path.split('/').some((p) => p.startsWith('.'));
  if (!isFile && extname(path) !== '') {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ message: 'Not Found' }));
    return;
  }
  const target = isFile ? file : join(dist, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[extname(target)] ?? 'application/octet-stream', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(target).pipe(res);
}
