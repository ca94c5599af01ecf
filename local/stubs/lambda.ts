/**
 * A local stand-in for the Lambda Invoke API (`POST /2015-03-31/functions/{name}/invocations`), so a
 * handler that invokes another function (render → plan) does it through the real SDK call, reaching
 * the other handler in this process. Function errors come back as AWS reports them: status 200,
 * `X-Amz-Function-Error: Unhandled`, body `{errorType, errorMessage}`.
 */
import { AwsServiceError, startStubServer, type StubServer } from './http-json.ts';

export type LocalFunction = (event: unknown, context: unknown) => Promise<unknown>;

const INVOKE = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaInvoke(functions: Record<string, LocalFunction>): Promise<StubServer> {
  return startStubServer(async (req, body) => {
    const match = INVOKE.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!match || req.method !== 'POST') throw new AwsServiceError('UnknownOperationException', `${req.method} ${req.url} is not supported locally`, 404);
    const name = decodeURIComponent(match[1]).split(':').at(-1)!;
    const fn = functions[name];
    if (!fn) throw new AwsServiceError('ResourceNotFoundException', `Function not found: ${name}`, 404);
    const event = body.length ? JSON.parse(body.toString('utf8')) : {};
    const context = { functionName: name, awsRequestId: crypto.randomUUID(), getRemainingTimeInMillis: () => 60_000 };
    if (req.headers['x-amz-invocation-type'] === 'Event') {
      void fn(event, context).catch((error) => process.stderr.write(`lambda ${name}: ${(error as Error).message}\n`));
      return { status: 202 };
    }
    try {
      const result = await fn(event, context);
      return { body: result === undefined ? 'null' : JSON.stringify(result) };
    } catch (error) {
      const e = error as Error;
      return { headers: { 'x-amz-function-error': 'Unhandled' }, body: { errorType: e.name ?? 'Error', errorMessage: e.message } };
    }
  }, 'application/json');
}
