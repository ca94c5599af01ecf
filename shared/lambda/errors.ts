/**
 * How an error becomes an HTTP answer, decided in one place (used by middify's error middleware).
 * Domain errors (bad input, not found, conflict, refused) are the caller's to fix: their status is
 * 4xx and their message is shown as it is, so it must already be lowercase and secret-free. Anything
 * else is ours: a generic 500 whose details stay in the logs (middy's `expose` rule).
 */

/** An error a handler throws to answer with a given status; `expose` defaults to `status < 500`. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly statusCode: number;
  readonly expose: boolean;

  constructor(statusCode: number, message: string, options?: { expose?: boolean; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.statusCode = statusCode;
    this.expose = options?.expose ?? statusCode < 500;
  }
}

/**
 * Domain errors recognised by name, so that `shared/` modules need not import this file. Keep the
 * list short: an error earns a place here only when its message is written for the person calling.
 */
const DOMAIN_ERROR_STATUS: Readonly<Record<string, number>> = {
  ModelError: 400,
  PayloadError: 400,
  ValidationError: 400,
  ForbiddenError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

export interface HttpErrorAnswer {
  statusCode: number;
  /** The message shown to the caller. */
  message: string;
  /** True when the caller can fix it (4xx); false for our own failures (5xx). */
  clientError: boolean;
}

export const GENERIC_SERVER_ERROR = 'internal error';

/**
 * The status and visible message for any thrown value.
 * @example httpErrorAnswer(new HttpError(404, 'application web not found')) // { statusCode: 404, message: 'application web not found', clientError: true }
 */
export function httpErrorAnswer(error: unknown): HttpErrorAnswer {
  const status = statusOf(error);
  const exposed = error instanceof HttpError ? error.expose : status < 500;
  const message = exposed && error instanceof Error ? error.message : GENERIC_SERVER_ERROR;
  return { statusCode: status, message, clientError: status < 500 };
}

function statusOf(error: unknown): number {
  if (!(error instanceof Error)) return 500;
  if (error instanceof HttpError) return error.statusCode;
  const byName = DOMAIN_ERROR_STATUS[error.name];
  if (byName !== undefined) return byName;
  // Errors shaped like middy's createError (`statusCode` 4xx) are domain errors too.
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return statusCode;
  return 500;
}
