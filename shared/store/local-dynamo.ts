/**
 * DynamoDB for tests and the local runtime: dynalite (in-process, LevelDB) behind a small front that
 * adds the two newer API features gitwave's store relies on and dynalite lacks:
 * - TransactWriteItems (the fenced status/history writes), applied action by action with snapshots
 *   and rolled back on the first failure, answering TransactionCanceledException with reasons;
 * - ReturnValuesOnConditionCheckFailure=ALL_OLD (the lock names its holder without a second read).
 * Every request goes through one queue, so a transaction is atomic to every other client of the front.
 * Not for production: AWS runs the real thing. Not exported from shared/store/index.ts.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';
import dynalite from 'dynalite';
import { applyTransaction, type Backend, type Answer } from './local-transactions.ts';

export interface LocalDynamo {
  /** `http://127.0.0.1:<port>`, for `endpoint` in StoreOptions. */
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export interface LocalDynamoOptions {
  /** 0 (default) = ephemeral. */
  port?: number;
  host?: string;
  /** LevelDB folder to keep data across restarts; default in memory. */
  path?: string;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';

/**
 * Starts dynalite and the front on loopback.
 * @example const dynamo = await startLocalDynamo(); … await dynamo.stop();
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const inner = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  const innerPort = await listen(inner, 0, '127.0.0.1');
  const backend = backendAt(`http://127.0.0.1:${innerPort}`);
  const serial = serialQueue();
  const front = createServer((req, res) => {
    readBody(req)
      .then((body) => serial(() => route(backend, String(req.headers['x-amz-target'] ?? ''), body)))
      .catch((error: unknown) => ({ status: 500, body: { __type: 'InternalFailure', message: String(error) } }))
      .then((answer) => {
        const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          'content-type': 'application/x-amz-json-1.0', 'x-amz-crc32': String(crc32(text)), 'content-length': Buffer.byteLength(text),
        });
        res.end(text);
      });
  });
  const host = options.host ?? '127.0.0.1';
  const port = await listen(front, options.port ?? 0, host);
  return {
    endpoint: `http://${host}:${port}`,
    port,
    stop: async () => {
      await close(front);
      await close(inner);
    },
  };
}

async function route(backend: Backend, target: string, body: string): Promise<Answer> {
  const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
  if (operation === 'TransactWriteItems') return applyTransaction(backend, JSON.parse(body));
  const answer = await backend.raw(operation, body);
  const request = ['PutItem', 'UpdateItem', 'DeleteItem'].includes(operation) ? JSON.parse(body) : undefined;
  if (request?.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && isConditionFailure(answer)) {
    const old = await backend.call('GetItem', { TableName: request.TableName, Key: request.Key, ConsistentRead: true });
    const item = (old.body as { Item?: unknown }).Item;
    if (item) return { status: answer.status, body: { ...(answer.body as object), Item: item } };
  }
  return answer;
}

function isConditionFailure(answer: Answer): boolean {
  return answer.status === 400 && String((answer.body as { __type?: string }).__type ?? '').endsWith('#ConditionalCheckFailedException');
}

function backendAt(url: string): Backend {
  const raw = async (operation: string, body: string): Promise<Answer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': TARGET_PREFIX + operation,
        'x-amz-date': '20200101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
      },
      body,
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : JSON.parse(text) };
  };
  return { raw, call: (operation, payload) => raw(operation, JSON.stringify(payload)) };
}

/** Runs tasks one at a time, in arrival order. */
function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
