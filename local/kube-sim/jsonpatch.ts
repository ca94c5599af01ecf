/**
 * JSON patch (RFC 6902): add, remove, replace, move, copy and test on JSON pointers (RFC 6901).
 * Failures are 422 in Kubernetes' words ("the server rejected our request due to an error in our request").
 */
import { ApiError } from './errors.ts';
import { deepEqual, isMap } from './fieldwalk.ts';

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function fail(message: string): ApiError {
  return new ApiError(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`);
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw fail(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The container of the last pointer token, and that token. */
function parentOf(doc: unknown, tokens: string[], path: string): { parent: any; last: string } {
  let node: any = doc;
  for (const token of tokens.slice(0, -1)) {
    node = Array.isArray(node) ? node[Number(token)] : isMap(node) ? node[token] : undefined;
    if (node === undefined) throw fail(`doc is missing path: "${path}"`);
  }
  return { parent: node, last: tokens[tokens.length - 1] };
}

function get(doc: unknown, path: string): unknown {
  let node: any = doc;
  for (const token of pointer(path)) {
    node = Array.isArray(node) ? node[Number(token)] : isMap(node) ? node[token] : undefined;
    if (node === undefined) throw fail(`doc is missing path: "${path}"`);
  }
  return node;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const tokens = pointer(path);
  if (!tokens.length) return value;
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw fail(`index out of bounds in "${path}"`);
    parent.splice(index, 0, value);
  } else if (isMap(parent)) parent[last] = value;
  else throw fail(`doc is missing path: "${path}"`);
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const tokens = pointer(path);
  const { parent, last } = parentOf(doc, tokens, path);
  if (Array.isArray(parent) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isMap(parent) && last in parent) delete parent[last];
  else throw fail(`unable to remove nonexistent key: ${last}: missing value`);
  return doc;
}

/** Applies the operations in order to a copy of the document. */
export function jsonPatch(document: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new ApiError(400, 'BadRequest', 'json patch must be an array of operations');
  let doc = structuredClone(document);
  for (const raw of ops as Op[]) {
    if (!raw || typeof raw.path !== 'string') throw fail('json patch operation without a path');
    switch (raw.op) {
      case 'add': doc = add(doc, raw.path, structuredClone(raw.value)); break;
      case 'remove': doc = remove(doc, raw.path); break;
      case 'replace': get(doc, raw.path); doc = add(remove(doc, raw.path), raw.path, structuredClone(raw.value)); break;
      case 'move': { const v = get(doc, raw.from ?? ''); doc = add(remove(doc, raw.from ?? ''), raw.path, v); break; }
      case 'copy': doc = add(doc, raw.path, structuredClone(get(doc, raw.from ?? ''))); break;
      case 'test': if (!deepEqual(get(doc, raw.path), raw.value)) throw fail(`testing value ${raw.path} failed`); break;
      default: throw fail(`unexpected json patch operation "${raw.op}"`);
    }
  }
  return doc;
}
