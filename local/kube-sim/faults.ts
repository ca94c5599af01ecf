/**
 * Fault injection, switchable at run time through `PUT /_sim/faults` or `setFaults`: added latency,
 * error rates per verb answered with a chosen status, or one of several (5xx, 429 with Retry-After,
 * 409, 401, …), and dropped connections, before the request is handled (nothing happened) or after
 * (it happened, the answer is lost). `times` bounds how many requests fail, and `seed` makes the
 * sequence of choices the same on every run, so tests can be deterministic.
 */
import { ApiError } from './errors.ts';

export interface Faults {
  /** Added to every API request before it is handled. */
  latencyMs?: number;
  /** Probability (0..1) that a request of a verb fails; the key `*` covers every verb. */
  errorRate?: Record<string, number>;
  /** Status of an injected failure (default 500); with a list, each failure picks one of them. */
  status?: number | number[];
  /** Probability (0..1) that a request's connection is destroyed before it is handled. */
  dropRate?: number;
  /** Probability (0..1) that a request is handled and its connection then destroyed: the answer is lost. */
  dropAfterRate?: number;
  /** Seeds the choices (which request fails, with which status): the same seed, the same sequence. */
  seed?: number;
  /** Retry-After seconds sent with 429 and 503 (default 1). */
  retryAfterSeconds?: number;
  /** Stop injecting failures and drops after this many (unbounded when absent). */
  times?: number;
}

export type FaultDecision = { kind: 'none' } | { kind: 'drop' } | { kind: 'drop-after' } | { kind: 'error'; error: ApiError };

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
  const known = ['latencyMs', 'errorRate', 'status', 'dropRate', 'dropAfterRate', 'retryAfterSeconds', 'times', 'seed'];
  for (const key of Object.keys(f)) if (!known.includes(key)) throw new Error(`unknown field "${key}" in faults`);
  const rate = (x: unknown, field: string) => {
    if (x !== undefined && (typeof x !== 'number' || x < 0 || x > 1)) throw new Error(`${field} must be a number between 0 and 1`);
  };
  rate(f.dropRate, 'dropRate');
  rate(f.dropAfterRate, 'dropAfterRate');
  if (Array.isArray(f.status)) {
    if (f.status.length === 0) throw new Error('status must not be an empty list');
    f.status.forEach((code, i) => nonNegative(code, `status[${i}]`));
  } else nonNegative(f.status, 'status');
  if (f.errorRate !== undefined) {
    if (!f.errorRate || typeof f.errorRate !== 'object') throw new Error('errorRate must map verbs to rates');
    for (const [verb, r] of Object.entries(f.errorRate)) rate(r, `errorRate.${verb}`);
  }
  for (const field of ['latencyMs', 'retryAfterSeconds', 'times', 'seed']) nonNegative(f[field], field);
  return f as Faults;
}

function nonNegative(x: unknown, field: string): void {
  if (x !== undefined && (typeof x !== 'number' || x < 0)) throw new Error(`${field} must be a non-negative number`);
}

/** mulberry32: a small seeded generator of numbers in [0, 1), the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private faults: Faults = {};
  private used = 0;
  private random: () => number = Math.random;

  set(faults: Faults): void {
    this.faults = { ...faults };
    this.used = 0;
    this.random = faults.seed === undefined ? Math.random : seededRandom(faults.seed);
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
    if (f.dropRate && this.random() < f.dropRate) {
      this.used++;
      return { kind: 'drop' };
    }
    if (f.dropAfterRate && this.random() < f.dropAfterRate) {
      this.used++;
      return { kind: 'drop-after' };
    }
    const rate = f.errorRate?.[verb] ?? f.errorRate?.['*'] ?? 0;
    if (rate > 0 && this.random() < rate) {
      this.used++;
      return { kind: 'error', error: injectedError(this.pickStatus(), f.retryAfterSeconds ?? 1) };
    }
    return { kind: 'none' };
  }

  private pickStatus(): number {
    const status = this.faults.status ?? 500;
    return Array.isArray(status) ? status[Math.floor(this.random() * status.length)] : status;
  }
}

function injectedError(code: number, retryAfter: number): ApiError {
  const throttled = code === 429 || code === 503;
  const headers: Record<string, string> = throttled ? { 'Retry-After': String(retryAfter) } : {};
  const details = throttled ? { retryAfterSeconds: retryAfter, causes: [{ reason: 'InjectedFault', message: 'injected by the gitwave simulator' }] } : { causes: [{ reason: 'InjectedFault', message: 'injected by the gitwave simulator' }] };
  return new ApiError(code, REASONS[code] ?? 'InternalError', MESSAGES[code] ?? `injected failure with status ${code}`, details, headers);
}
