/**
 * The simulator's own controls under `/_sim/`: `GET /_sim/audit` (the audit log as a JSON array;
 * `DELETE` clears it), `GET|PUT|DELETE /_sim/faults` (read, set, clear fault injection).
 */
import { parseFaults } from './faults.ts';
import type { ServerParts } from './server.ts';

export interface ControlAnswer {
  code: number;
  body: unknown;
}

function bad(message: string): ControlAnswer {
  return { code: 400, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'BadRequest', message, code: 400 } };
}

export function simControl(parts: ServerParts, method: string, path: string, body: Buffer): ControlAnswer {
  if (path === '/_sim/audit') {
    if (method === 'GET') return { code: 200, body: parts.audit.all() };
    if (method === 'DELETE') {
      parts.audit.clear();
      return { code: 200, body: [] };
    }
  }
  if (path === '/_sim/faults') {
    if (method === 'GET') return { code: 200, body: parts.faults.get() };
    if (method === 'DELETE') {
      parts.faults.set({});
      return { code: 200, body: {} };
    }
    if (method === 'PUT') {
      try {
        parts.faults.set(parseFaults(JSON.parse(body.toString('utf8') || '{}')));
      } catch (error) {
        return bad(`invalid faults: ${(error as Error).message}`);
      }
      return { code: 200, body: parts.faults.get() };
    }
  }
  return { code: 404, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: `no simulator control at ${method} ${path}`, code: 404 } };
}
