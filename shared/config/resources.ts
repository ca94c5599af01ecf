/**
 * Names and settings of the resources gitwave runs on, shared by the CDK stack and the local runtime
 * so that both create the same table, queue, bucket layout, routes and schedule (issue 6: "created
 * with the same settings as the CDK stack"). The fixed names come from the contracts between the
 * parts of the project; change them only together with shared/store.
 */
import { FUNCTION_SETTINGS } from '../lambda/functions.ts';

/** The single DynamoDB table's key schema (billing on demand, PITR on). */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes expired items within about 48 hours (GC only, never expiry). */
  timeToLiveAttribute: 'ttl',
  /** Applications by normalised repository URL + ref. */
  byRepository: { indexName: 'byRepository', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
} as const;

/**
 * Leading key prefixes that IAM conditions (`dynamodb:LeadingKeys`) allow per function. The lock
 * item is `CLUSTER#<name>` / `LOCK` (SECURITY.md §4).
 */
export const KEY_PREFIXES = {
  cluster: 'CLUSTER#',
  delivery: 'DELIVERY#',
  /** An Application's own items: status, history, operations, requests (`APP#<name>`). */
  app: 'APP#',
} as const;

/** Object key prefixes in the bucket: `rendered/<hash>.json`, `plans/<app>/<syncId>.json`. */
export const BUCKET_PREFIXES = {
  rendered: 'rendered/',
  plans: 'plans/',
} as const;

/** The FIFO request queue (MessageGroupId = app, dedupe id = hash of app + sha) and its FIFO DLQ. */
export const REQUEST_QUEUE = {
  queueName: 'gitwave-requests.fifo',
  deadLetterQueueName: 'gitwave-requests-dlq.fifo',
  maxReceiveCount: 5,
  /** One render per invocation: a render is heavy and must fit the function's timeout. */
  batchSize: 1,
  /** At least 6× the consumer's timeout (SECURITY.md §4), so a slow render is not delivered twice. */
  visibilityTimeoutSeconds: 6 * FUNCTION_SETTINGS.render.timeoutSeconds,
  retentionSeconds: 4 * 24 * 3600,
  /** Longer than the source queue, so nothing expires in the DLQ before its source would have. */
  deadLetterRetentionSeconds: 14 * 24 * 3600,
} as const;

/** Routes of the HTTP API and the function behind each. */
export const HTTP_ROUTES = [
  /** Authenticated by the HMAC signature inside the function (GitHub cannot sign with SigV4). */
  { method: 'POST', path: '/webhooks/github', function: 'webhook', authorization: 'none' },
  { method: 'ANY', path: '/api/{proxy+}', function: 'api', authorization: 'iam' },
  /** The same API for the dashboard's signed-in people (Cognito or OIDC JWT); read-only without a writer group. */
  { method: 'ANY', path: '/ui/api/{proxy+}', function: 'api', authorization: 'jwt' },
] as const;

/** The drift sweep (Argo CD refreshes every 120 s + up to 60 s of jitter; gitwave every 3 minutes). */
export const DRIFT_SCHEDULE_MINUTES = 3;

/** Default cluster lock lease: minutes, far longer than any one step and than clock skew. */
export const DEFAULT_LOCK_LEASE_SECONDS = 600;
