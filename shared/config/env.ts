/**
 * The one list of environment variables, shared by the CDK stack (which sets them with
 * `addEnvironment(ENV.X, …)`), the Lambda handlers (which read them with `requiredEnv(ENV.X)`) and
 * the local runtime (which sets the same names for the same handlers). A variable is named here once;
 * a typo anywhere else is a type error, and a missing value fails fast with the variable's name
 * instead of a confusing SDK error later.
 */

/** Every environment variable gitwave reads, each with one line on what it holds. */
export const ENV = {
  /** The single DynamoDB table (applications, clusters, status, history, locks, deliveries). */
  TABLE_NAME: 'TABLE_NAME',
  /** The S3 bucket for renders (`rendered/`) and plans (`plans/`). */
  BUCKET_NAME: 'BUCKET_NAME',
  /** The FIFO request queue (`gitwave-requests.fifo`). */
  QUEUE_URL: 'QUEUE_URL',
  /** The sync state machine: one execution per Application sync, started by the cluster's writer. */
  STATE_MACHINE_ARN: 'STATE_MACHINE_ARN',
  /** The writer state machine (one writer per cluster), started by the plan λ and the janitor. */
  WRITER_STATE_MACHINE_ARN: 'WRITER_STATE_MACHINE_ARN',
  /** Secrets Manager secret holding the GitHub webhook secret (never the value itself). */
  WEBHOOK_SECRET_ARN: 'WEBHOOK_SECRET_ARN',
  /** Secrets Manager secret holding Git tokens (read-only contents access). */
  GIT_TOKEN_SECRET_ARN: 'GIT_TOKEN_SECRET_ARN',
  /** SNS topic for sync notifications. */
  TOPIC_ARN: 'TOPIC_ARN',
  /** Cluster lock lease, in seconds (SECURITY.md §4: minutes, much longer than any step). */
  LOCK_LEASE_SECONDS: 'LOCK_LEASE_SECONDS',
  /** The plan λ the render λ hands a finished render to. */
  PLAN_FUNCTION_NAME: 'PLAN_FUNCTION_NAME',
  /** Path of the kustomize binary (in AWS: the Lambda layer's `/opt/bin/kustomize`). */
  KUSTOMIZE_PATH: 'KUSTOMIZE_PATH',
  /** Role name prefix assumed to write to a cluster: `<prefix><cluster>`. */
  DEPLOYER_ROLE_PREFIX: 'DEPLOYER_ROLE_PREFIX',
  /** Role name prefix assumed to read a cluster (drift): `<prefix><cluster>`. */
  READER_ROLE_PREFIX: 'READER_ROLE_PREFIX',
  /** Largest webhook body accepted, in bytes (checked before HMAC and parse). */
  WEBHOOK_MAX_BODY_BYTES: 'WEBHOOK_MAX_BODY_BYTES',
  /** GitHub REST API base URL (default https://api.github.com; GHES, or the local stand-in on loopback). */
  GITHUB_API_URL: 'GITHUB_API_URL',
  /** Optional: folder of Kubernetes OpenAPI v3 documents; when set, renders are validated strictly against them. */
  GITWAVE_SCHEMAS: 'GITWAVE_SCHEMAS',
  /** Powertools: service name on logs, metrics and traces. */
  POWERTOOLS_SERVICE_NAME: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: CloudWatch metrics namespace. */
  POWERTOOLS_METRICS_NAMESPACE: 'POWERTOOLS_METRICS_NAMESPACE',
  /** Powertools: log level (`DEBUG`, `INFO`, `WARN`, `ERROR`). */
  POWERTOOLS_LOG_LEVEL: 'POWERTOOLS_LOG_LEVEL',
  /** Powertools: `false` turns tracing off (the local runtime has no X-Ray). */
  POWERTOOLS_TRACE_ENABLED: 'POWERTOOLS_TRACE_ENABLED',
  /** Powertools: `true` stops metrics output (tests, local runtime). */
  POWERTOOLS_METRICS_DISABLED: 'POWERTOOLS_METRICS_DISABLED',
  /** Local runtime: state directory (default `.gitwave/`). */
  GITWAVE_HOME: 'GITWAVE_HOME',
  /** Local runtime: gateway port on 127.0.0.1 (default 8080). */
  GITWAVE_PORT: 'GITWAVE_PORT',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Thrown when a variable is missing or malformed; the message names the variable, never a value. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Source = Readonly<Record<string, string | undefined>>;

/**
 * The value of a variable that must be set, or a `ConfigError` naming it.
 * @example const table = requiredEnv(ENV.TABLE_NAME);
 */
export function requiredEnv(name: EnvName, source: Source = process.env): string {
  const value = source[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigError(`missing environment variable ${name}`);
  }
  return value;
}

/**
 * The value of an optional variable, or `fallback` when it is unset or empty.
 * @example const level = optionalEnv(ENV.POWERTOOLS_LOG_LEVEL, 'INFO');
 */
export function optionalEnv(name: EnvName, fallback: string, source?: Source): string;
export function optionalEnv(name: EnvName, fallback?: undefined, source?: Source): string | undefined;
export function optionalEnv(name: EnvName, fallback?: string, source: Source = process.env): string | undefined {
  const value = source[name];
  return value === undefined || value.trim() === '' ? fallback : value;
}

/**
 * A positive integer variable (seconds, bytes), `fallback` when unset; a `ConfigError` when malformed.
 * @example const lease = integerEnv(ENV.LOCK_LEASE_SECONDS, 600);
 */
export function integerEnv(name: EnvName, fallback: number, source: Source = process.env): number {
  const value = source[name];
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
    throw new ConfigError(`environment variable ${name} must be a positive integer`);
  }
  return Number(value);
}
