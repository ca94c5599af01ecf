/**
 * The cluster client's errors, classified as SECURITY.md §6 says. The class decides what the caller
 * does: a `TerminalClusterError` fails the resource (no retry loop), a `TransientClusterError` is
 * worth retrying (the client already retried up to its deadline; a Lambda rethrows it so the queue
 * backs off), and a `DryRunRefusedError` means "unknown", not failure. Messages are lowercase,
 * name the object, and carry the API server's own words but never a request header or token.
 */

/** The Kubernetes `Status` body that the API server returns with an error. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    /** `reason` is the cause type (`FieldManagerConflict`, `FieldValueInvalid`, …): that is its JSON name. */
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
}

export interface ClusterErrorOptions {
  /** The HTTP status, when the server answered. */
  code?: number;
  /** The Status reason (`Invalid`, `Forbidden`, `Conflict`, …). */
  reason?: string;
  cause?: unknown;
}

/** Base class: every error the cluster client throws is one of its subclasses. */
export abstract class ClusterError extends Error {
  abstract readonly retryable: boolean;
  readonly code?: number;
  readonly reason?: string;

  constructor(message: string, options: ClusterErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.reason = options.reason;
  }
}

/** Retrying cannot help: 400, 403, 413, 422, a missing namespace, a kind not served, bad credentials. */
export class TerminalClusterError extends ClusterError {
  readonly retryable = false;
}

/** 5xx, 429, timeouts, dropped connections, 409 on a stale update: retry with backoff. */
export class TransientClusterError extends ClusterError {
  readonly retryable = true;
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs?: number;

  constructor(message: string, options: ClusterErrorOptions & { retryAfterMs?: number } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** A 401 even after a fresh token: a configuration error (access entry, role, cluster name). */
export class ClusterAuthError extends TerminalClusterError {}

/** The kind is still not in discovery after the wait (its CRD is missing or never became Established). */
export class KindNotServedError extends TerminalClusterError {
  constructor(
    readonly apiVersion: string,
    readonly kind: string,
    detail = '',
  ) {
    super(`kind not served: no ${kind} in ${apiVersion}${detail ? ` (${detail})` : ''}`, { code: 404, reason: 'NotFound' });
  }
}

/** The object's namespace does not exist: an ordering bug (Namespaces go before wave 1). */
export class NamespaceNotFoundError extends TerminalClusterError {}

/** An admission webhook with side effects refused a dry run: the outcome is unknown, not a failure. */
export class DryRunRefusedError extends TerminalClusterError {}

/** Reads the `Status` body of an error response, tolerating plain-text bodies. */
export function asStatus(body: unknown): KubeStatus {
  if (body && typeof body === 'object') return body as KubeStatus;
  return typeof body === 'string' && body.trim() ? { message: body.trim().slice(0, 500) } : {};
}

/** Milliseconds to wait from a `Retry-After` header (seconds or an HTTP date), or the Status detail. */
export function retryAfterMs(header: string | undefined, status?: KubeStatus, now = Date.now()): number | undefined {
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const at = Date.parse(header);
    if (Number.isFinite(at)) return Math.max(0, at - now);
  }
  const fromStatus = status?.details?.retryAfterSeconds;
  return typeof fromStatus === 'number' && fromStatus >= 0 ? fromStatus * 1000 : undefined;
}

/** True when a 404 means "no such resource type" rather than "no such object". */
export function isTypeNotFound(status: KubeStatus): boolean {
  return !status.details?.name && /could not find the requested resource|404 page not found/i.test(status.message ?? '');
}

/** True when a 409 is a server-side apply field conflict (not a stale resourceVersion). */
export function isApplyConflict(status: KubeStatus): boolean {
  const causes = status.details?.causes ?? [];
  return causes.some((c) => c.reason === 'FieldManagerConflict') || /^apply failed with \d+ conflicts?/i.test(status.message ?? '');
}

const DRY_RUN_REFUSED = /does not support dry run|sideeffects/i;

/**
 * The error for an HTTP failure of `what` (e.g. `apply deployments.apps team/web`), following the
 * table of SECURITY.md §6. 401 and SSA conflicts are handled before this by the transport and the
 * apply code; here a 401 is final. 404 of an object is handled by callers that expect it.
 */
export function errorForResponse(
  what: string,
  code: number,
  body: unknown,
  retryAfterHeader?: string,
  dryRun = false,
): ClusterError {
  const status = asStatus(body);
  const reason = status.reason;
  const said = (status.message ?? '').trim() || `http ${code}`;
  const message = `failed to ${what}: ${said}`;
  if (dryRun && code !== 429 && code < 500 && DRY_RUN_REFUSED.test(said)) {
    return new DryRunRefusedError(`dry run refused for ${what.replace(/^\w+ /, '')}: ${said}`, { code, reason });
  }
  if (code === 401) return new ClusterAuthError(`${message} (check the cluster credentials and access entry)`, { code, reason });
  if (code === 404 && status.details?.kind === 'namespaces') return new NamespaceNotFoundError(message, { code, reason });
  if (code === 429) return new TransientClusterError(message, { code, reason, retryAfterMs: retryAfterMs(retryAfterHeader, status) });
  if (code === 409 && !isApplyConflict(status)) return new TransientClusterError(message, { code, reason });
  if (code === 408 || code === 504 || code >= 500) {
    return new TransientClusterError(message, { code, reason, retryAfterMs: retryAfterMs(retryAfterHeader, status) });
  }
  return new TerminalClusterError(message, { code, reason });
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNRESET: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_CLOSED: 'connection closed',
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  EPIPE: 'connection closed',
};

/** The error for a request that got no HTTP answer: timeout, reset, refused. All are transient. */
export function errorForNetwork(what: string, err: unknown): TransientClusterError {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  const code = e?.cause?.code ?? e?.code;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new TransientClusterError(`failed to ${what}: request timed out`, { cause: err });
  }
  const detail = (code && NETWORK_WORDS[code]) ?? (code ? code.toLowerCase() : 'connection failed');
  return new TransientClusterError(`failed to ${what}: ${detail}`, { cause: err });
}
