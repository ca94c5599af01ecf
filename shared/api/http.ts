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
 * Who calls. Behind API Gateway `/api` is IAM-authorised (the CLI: the caller's ARN is in the request
 * context) and `/ui/api` JWT-authorised (the dashboard's people, signed in through Cognito or the
 * OIDC issuer: their claims are in the request context). The local runtime has no IAM, and its
 * gateway listens on loopback only, so the person at the machine is the operator.
 */
export interface Caller {
  /** The IAM ARN, the person's e-mail (or user name, or subject), or `local`. */
  username: string;
  admin: boolean;
  /** Signed in without the deployer or admin group: reads only (a write is a 403). */
  readOnly: boolean;
}

/** IAM roles (or users) whose name starts with this administer gitwave: clusters and projects. */
export const ADMIN_NAME_PREFIX = 'gitwave-admin';
/** The dashboard's JWT-authorised twin of `/api/` (infra/constructs/gitwave-http-api.ts). */
export const JWT_API_PREFIX = '/ui/api/';
/** Groups (in the token's `cognito:groups` or `groups` claim) that may write; admin also registers clusters and projects. */
export const WRITER_GROUPS = { deployer: 'deployer', admin: 'admin' } as const;

/** The largest request body read (the registry keeps documents far smaller). */
const MAX_BODY_BYTES = 1024 * 1024;

export function apiRequest(event: APIGatewayProxyEventV2): ApiRequest {
  const method = (event.requestContext?.http?.method ?? 'GET').toUpperCase();
  const path = event.rawPath ?? event.requestContext?.http?.path ?? '';
  const viaJwt = path.startsWith(JWT_API_PREFIX);
  const base = viaJwt ? JWT_API_PREFIX : '/api/';
  if (!viaJwt && !path.startsWith('/api/') && path !== '/api') throw new HttpError(404, `no route for ${method} ${path}`);
  // Defence in depth: API Gateway's JWT authoriser guards /ui/api, so a request there without claims went around it.
  if (viaJwt && !jwtClaimsOf(event)) throw new HttpError(401, `${JWT_API_PREFIX}… needs a signed-in user's bearer token`);
  const segments = path.slice(base.length).split('/').filter((s) => s !== '').map(decodeSegment);
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

type Authorizer = { iam?: { userArn?: string }; jwt?: { claims?: Record<string, unknown> } };
const authorizerOf = (event: APIGatewayProxyEventV2) => (event.requestContext as { authorizer?: Authorizer } | undefined)?.authorizer;
const jwtClaimsOf = (event: APIGatewayProxyEventV2) => authorizerOf(event)?.jwt?.claims;

/** The caller as API Gateway's IAM or JWT authoriser names it. */
export function callerOf(event: APIGatewayProxyEventV2): Caller {
  const authorizer = authorizerOf(event);
  const claims = authorizer?.jwt?.claims;
  if (claims) return jwtCaller(claims);
  const iam = authorizer?.iam;
  if (!iam?.userArn) return { username: 'local', admin: true, readOnly: false };
  // arn:aws:sts::1:assumed-role/<role>/<session>, arn:aws:iam::1:role/<path>/<role>, arn:aws:iam::1:user/<user>
  const name = /:assumed-role\/([^/]+)\//.exec(iam.userArn)?.[1] ?? iam.userArn.split('/').at(-1) ?? '';
  return { username: iam.userArn, admin: name.startsWith(ADMIN_NAME_PREFIX), readOnly: false };
}

/**
 * A person signed in to the dashboard: who (e-mail, else user name, else subject) and what they may
 * do (their groups). No writer group, read only.
 * @example jwtCaller({ sub: 'u1', email: 'ana@acme.io', 'cognito:groups': '[deployer]' }) // { username: 'ana@acme.io', admin: false, readOnly: false }
 */
export function jwtCaller(claims: Record<string, unknown>): Caller {
  const groups = groupsOf(claims['cognito:groups'] ?? claims.groups);
  const username = [claims.email, claims['cognito:username'], claims.preferred_username, claims.sub].find((v) => typeof v === 'string' && v !== '') as string | undefined;
  const admin = groups.includes(WRITER_GROUPS.admin);
  return { username: username ?? 'unknown user', admin, readOnly: !admin && !groups.includes(WRITER_GROUPS.deployer) };
}

/**
 * A groups claim as a list. API Gateway hands a JWT's list claim to the function as a string, `[a b]`
 * (HTTP API) or JSON; other issuers send a list or one comma-separated string.
 */
export function groupsOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return groupsOf(JSON.parse(text));
    } catch {
      return text.slice(1, text.endsWith(']') ? -1 : undefined).split(/[\s,]+/).filter(Boolean);
    }
  }
  return text.split(/[\s,]+/).filter(Boolean);
}

/** A 403 for a write by a read-only caller, naming the groups that may write. */
export function requireWriter(caller: Caller, method: string): void {
  if (caller.readOnly && method !== 'GET') {
    throw new HttpError(403, `${caller.username} may only read: ${method} needs the ${WRITER_GROUPS.deployer} or ${WRITER_GROUPS.admin} group`);
  }
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
