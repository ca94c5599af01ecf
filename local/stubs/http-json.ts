/**
 * The small HTTP server under each local AWS stand-in: loopback only, JSON bodies, AWS-style error
 * answers (`{__type, message}`), and a stop() that does not wait for idle keep-alive sockets.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** An error the stand-in answers the way the AWS service would. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type StubHandler = (req: IncomingMessage, body: Buffer) => Promise<{ status?: number; headers?: Record<string, string>; body?: unknown }>;

export async function startStubServer(handler: StubHandler, contentType: string): Promise<StubServer> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      handler(req, Buffer.concat(chunks))
        .then((answer) => reply(res, answer.status ?? 200, { 'content-type': contentType, ...answer.headers }, answer.body))
        .catch((error: unknown) => {
          const e = error instanceof AwsServiceError ? error : new AwsServiceError('InternalFailure', String((error as Error)?.message ?? error), 500);
          reply(res, e.status, { 'content-type': contentType, 'x-amzn-errortype': e.type }, { __type: e.type, message: e.message });
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, headers);
  res.end(text);
}

/** The operation of an AWS JSON-protocol request: `X-Amz-Target: <prefix>.<Operation>`. */
export function targetOperation(req: IncomingMessage): string {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.slice(target.lastIndexOf('.') + 1);
}
