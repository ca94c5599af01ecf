/**
 * Fault injection, switchable at run time through `PUT /_sim/faults` or `setFaults`: added latency,
 * error rates per verb answered with a chosen status (5xx, 429 with Retry-After, 409, 401, …),
 * and dropped connections. `times` bounds how many requests fail, so tests can be deterministic.
 */
import { ApiError } from './errors.ts';

export interface Faults {
  /** Added to every API request before it is handled. */
  latencyMs?: number;
  /** Probability (0..1) that a request of a verb fails; the key `*` covers every verb. */
  errorRate?: Record<string, number>;
  /** Status of an injected failure (default 500). */
  status?: number;
  /** Probability (0..1) that a request's connection is destroyed without an answer. */
  dropRate?: number;
  /** Retry-After seconds sent with 429 and 503 (default 1). */
  retryAfterSeconds?: number;
  /** Stop injecting failures and drops after this many (unbounded when absent). */
  times?: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'drop' } | { kind: 'error'; error: ApiError };

const REASONS: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 410: 'Expired',
  422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 503: 'ServiceUnavailable', 504: 'Timeout',
};

const MESSAGES: Record<number, string> = {
  401: 'Unauthorized',
  409: 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again',
  429: 'the server has received too many requests and has asked us to try again later',
  500: 'Internal error occurred: injected by the gitwave simulator',
  503: 'the server is currently unable to handle the request',
  504: 'the server was unable to return a response in the time allotted, but may still be processing the request',
};

/** Checks a faults document sent by a client; throws a message naming the bad field. */
export function parseFaults(value: unknown): Faults {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('faults must be a JSON object');
  const f = value as Record<string, unknown>;
  const known = ['latencyMs', 'errorRate', 'status', 'dropRate', 'retryAfterSeconds', 'times'];
  for (const key of Object.keys(f)) if (!known.includes(key)) throw new Error(`unknown field "${key}" in faults`);
  const rate = (x: unknown, field: string) => {
    if (x !== undefined && (typeof x !== 'number' || x < 0 || x > 1)) throw new Error(`${field} must be a number between 0 and 1`);
  };
  rate(f.dropRate, 'dropRate');
  if (f.errorRate !== undefined) {
    if (!f.errorRate || typeof f.errorRate !== 'object') throw new Error('errorRate must map verbs to rates');
    for (const [verb, r] of Object.entries(f.errorRate)) rate(r, `errorRate.${verb}`);
  }
  for (const field of ['latencyMs', 'status', 'retryAfterSeconds', 'times']) {
    if (f[field] !== undefined && (typeof f[field] !== 'number' || (f[field] as number) < 0)) throw new Error(`${field} must be a non-negative number`);
  }
  return f as Faults;
}

export class FaultInjector {
  private faults: Faults = {};
  private used = 0;

  set(faults: Faults): void {
    this.faults = { ...faults };
    this.used = 0;
  }

  get(): Faults {
    return { ...this.faults };
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** What happens to a request of this verb. */
  decide(verb: string): FaultDecision {
    const f = this.faults;
    if (f.times !== undefined && this.used >= f.times) return { kind: 'none' };
    if (f.dropRate && Math.random() < f.dropRate) {
      this.used++;
      return { kind: 'drop' };
    }
    const rate = f.errorRate?.[verb] ?? f.errorRate?.['*'] ?? 0;
    if (rate > 0 && Math.random() < rate) {
      this.used++;
      return { kind: 'error', error: injectedError(f.status ?? 500, f.retryAfterSeconds ?? 1) };
    }
    return { kind: 'none' };
  }
}

function injectedError(code: number, retryAfter: number): ApiError {
  const throttled = code === 429 || code === 503;
  const headers: Record<string, string> = throttled ? { 'Retry-After': String(retryAfter) } : {};
  const details = throttled ? { retryAfterSeconds: retryAfter, causes: [{ reason: 'InjectedFault', message: 'injected by the gitwave simulator' }] } : { causes: [{ reason: 'InjectedFault', message: 'injected by the gitwave simulator' }] };
  return new ApiError(code, REASONS[code] ?? 'InternalError', MESSAGES[code] ?? `injected failure with status ${code}`, details, headers);
}
