/**
 * The api λ's view of an HTTP request (API Gateway v2): method, path segments under `/api/`, the
 * body as text or JSON, and who is calling. Answers are JSON. Errors are thrown as HttpError and
 * mapped once by the middy stack (shared/lambda/middify.ts), so a refusal reads the same everywhere.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from '../lambda/errors.ts';

export interface ApiRequest {
  method: string;
  /** Decoded path segments after `/api/`: `['applications', 'web', 'sync']`. */
  segments: string[];
  /** The raw body as text ("" when none). */
  text: string;
  caller: Caller;
  /** Query string parameters (the last value of a repeated one). */
  query: Record<string, string>;
}

/**
 * Who calls. Behind API Gateway every `/api` route is IAM-authorised and the caller's ARN is in the
 * request context; the local runtime has no IAM, and its gateway listens on loopback only, so the
 * person at the machine is the operator.
 */
export interface Caller {
  /** The IAM ARN, or `local`. */
  username: string;
  admin: boolean;
}

/** IAM roles (or users) whose name starts with this administer gitwave: clusters and projects. */
export const ADMIN_NAME_PREFIX = 'gitwave-admin';

/** The largest request body read (the registry keeps documents far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

export function apiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '';
  if (!path.startsWith('/api/') && path !== '/api') throw new HttpError(404, `no route for ${method} ${path}`);
  const segments = path.slice('/api/'.length).split('/').filter((s) => s !== '').map(decodeSegment);
  const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
  if (body.length > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
  return { method, segments, text: body.toString('utf8'), caller: callerOf(event), query: { ...(event.queryStringParameters ?? {}) } as Record<string, string> };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'malformed path');
  }
}

/** The caller as API Gateway's IAM authoriser names it. */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const iam = (event.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam;
  if (!iam?.userArn) return { username: 'local', admin: true };
  // arn:aws:sts::1:assumed-role/<role>/<session>, arn:aws:iam::1:role/<path>/<role>, arn:aws:iam::1:user/<user>
  const name = /:assumed-role\/([^/]+)\//.exec(iam.userArn)?.[1] ?? iam.userArn.split('/').at(-1) ?? '';
  return { username: iam.userArn, admin: name.startsWith(ADMIN_NAME_PREFIX) };
}

/** The body as JSON (`{}` when empty); a 400 when it is not a JSON object. */
export function jsonBody(request: ApiRequest): Record<string, unknown> {
  if (request.text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(request.text);
  } catch {
    throw new HttpError(400, 'request body is not valid json');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'request body must be a json object');
  return value as Record<string, unknown>;
}

export function requireAdmin(caller: Caller, what: string): void {
  if (!caller.admin) throw new HttpError(403, `${what} is admin-only: call with a role named ${ADMIN_NAME_PREFIX}*`);
}

/** A JSON answer. */
export function answer(statusCode: number, value: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}
