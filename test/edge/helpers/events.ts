// API Gateway v2 events as the HTTP API (and the local gateway) hands them to the handlers.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export const CONTEXT = {
  functionName: 'gitwave-test', functionVersion: '$LATEST', invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:gitwave-test',
  memoryLimitInMB: '512', awsRequestId: 'test', logGroupName: 'test', logStreamName: 'test', callbackWaitsForEmptyEventLoop: false,
  getRemainingTimeInMillis: () => 60_000, done: () => undefined, fail: () => undefined, succeed: () => undefined,
} as unknown as Context;

export interface EventInput {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  base64?: boolean;
  query?: Record<string, string>;
  /** The IAM caller, as API Gateway puts it in the request context for IAM-authorised routes. */
  iamUserArn?: string;
  /** A signed-in person's token claims, as API Gateway's JWT authoriser puts them in the request context (`/ui/api`). */
  jwtClaims?: Record<string, string>;
}

export function httpEvent(input: EventInput): APIGatewayProxyEventV2 {
  const method = input.method ?? 'GET';
  const raw = input.body === undefined ? undefined : Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body);
  const headers = Object.fromEntries(Object.entries(input.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const routeKey = input.path.startsWith('/api/') ? 'ANY /api/{proxy+}' : `${method} ${input.path}`;
  return {
    version: '2.0', routeKey, rawPath: input.path, rawQueryString: new URLSearchParams(input.query ?? {}).toString(), headers,
    queryStringParameters: input.query,
    pathParameters: input.path.startsWith('/api/') ? { proxy: input.path.slice('/api/'.length) } : undefined,
    body: raw === undefined ? undefined : input.base64 ? raw.toString('base64') : raw.toString('utf8'),
    isBase64Encoded: input.base64 ?? false,
    requestContext: {
      accountId: '000000000000', apiId: 'test', domainName: 'test', domainPrefix: 'test', requestId: 'r', routeKey, stage: '$default',
      time: new Date().toISOString(), timeEpoch: Date.now(),
      http: { method, path: input.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      ...(input.iamUserArn ? { authorizer: { iam: { userArn: input.iamUserArn, accessKey: 'AKIA', accountId: '1', callerId: 'c', principalOrgId: null, userId: 'u' } } } : {}),
      ...(input.jwtClaims ? { authorizer: { jwt: { claims: input.jwtClaims, scopes: null } } } : {}),
    },
  } as APIGatewayProxyEventV2;
}

export type Handler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2 | undefined>;

/** Calls an HTTP handler and decodes its JSON answer. */
export async function call(handler: Handler, input: EventInput): Promise<{ status: number; body: any; text: string }> {
  const result = (await handler(httpEvent(input), CONTEXT))!;
  const text = typeof result.body === 'string' ? result.body : '';
  return { status: result.statusCode ?? 200, body: text ? JSON.parse(text) : undefined, text };
}
