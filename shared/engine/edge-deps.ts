/**
 * What the edge functions (webhook, render, drift, api) work through besides the engine's ports:
 * the request queue, the webhook secret, the Git source, the renderer, the plan λ and the optional
 * schema validator. Each is built on first use from the environment (shared/config/env.ts), once
 * per process, so a warm Lambda reuses its clients and a function needs only the variables of the
 * ports it touches. Endpoints come from the AWS SDK's own variables (`AWS_ENDPOINT_URL_SQS`, …),
 * which is how the local runtime and the tests point the same handlers at local servers.
 */
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, integerEnv, requiredEnv } from '../config/env.ts';
import type { RevisionResolver, SourceReader } from '../source/index.ts';
import type { Renderer } from '../render/index.ts';
import type { SchemaValidator } from '../render/validate/validator.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../webhook/delivery.ts';
import { sqsRequestQueue, type RequestQueue } from './request-queue.ts';
import { cachedSecret } from './secrets.ts';
import type { Planner } from './planner.ts';

export interface EdgeDeps {
  queue: RequestQueue;
  /** The HMAC key of GitHub deliveries (cached a few minutes, so a rotation is picked up). */
  webhookSecret: () => Promise<string>;
  maxBodyBytes: number;
  source: SourceReader;
  /** Revisions only (the drift sweep); a plugged `source` serves as one. */
  revisions: RevisionResolver;
  renderer: Renderer;
  planner: Planner;
  /** Strict schema validation, when GITWAVE_SCHEMAS names a folder of OpenAPI documents. */
  schemas: () => Promise<SchemaValidator | undefined>;
}

/**
 * The heavy ports, named by the functions that use them (factories in shared/lambda/ports/edge.ts),
 * so that the webhook's bundle carries no Git client, renderer or schema validator.
 */
export type EdgeFactories = { [K in 'source' | 'revisions' | 'renderer' | 'planner' | 'schemas']?: () => EdgeDeps[K] };

let plugged: Partial<EdgeDeps> = {};
const built: Partial<EdgeDeps> = {};

/**
 * Replaces ports before handlers run (tests: a recording planner, a source reader with `local`).
 * Passing `{}` forgets what was plugged and built.
 */
export function configureEdge(parts: Partial<EdgeDeps>): void {
  plugged = Object.keys(parts).length === 0 ? {} : { ...plugged, ...parts };
  if (Object.keys(parts).length === 0) for (const key of Object.keys(built) as Array<keyof EdgeDeps>) delete built[key];
}

function once<K extends keyof EdgeDeps>(key: K, make: (() => EdgeDeps[K]) | undefined): EdgeDeps[K] {
  const given = plugged[key];
  if (given !== undefined) return given as EdgeDeps[K];
  if (!make) throw new Error(`this function was not given the ${key} port (edgeDeps in functions/, shared/lambda/ports/edge.ts)`);
  built[key] ??= make();
  return built[key] as EdgeDeps[K];
}

/**
 * The edge ports, each made on first use: the queue, the webhook secret and the body limit always,
 * the others from the factories the function names.
 * @example const answer = await handleDelivery(delivery, webhookPorts(stateStore(), edgeDeps(), body));
 */
export function edgeDeps(factories: EdgeFactories = {}): EdgeDeps {
  return {
    get queue() { return once('queue', () => sqsRequestQueue(sqsClient(), requiredEnv(ENV.QUEUE_URL))); },
    get webhookSecret() { return once('webhookSecret', () => cachedSecret(secretsClient(), requiredEnv(ENV.WEBHOOK_SECRET_ARN))); },
    get maxBodyBytes() { return once('maxBodyBytes', () => integerEnv(ENV.WEBHOOK_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES)); },
    get source() { return once('source', factories.source); },
    get revisions() { return plugged.source ?? once('revisions', factories.revisions); },
    get renderer() { return once('renderer', factories.renderer); },
    get planner() { return once('planner', factories.planner); },
    get schemas() { return once('schemas', factories.schemas); },
  };
}

/**
 * The endpoint comes from the region (or AWS_ENDPOINT_URL_SQS), never from the queue URL's host: in
 * AWS they are the same, and local servers name queues under hosts that need not resolve.
 */
function sqsClient(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}

let secrets: SecretsManagerClient | undefined;
/** One Secrets Manager client per process (the webhook secret and the Git tokens). */
export function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient({});
  return secrets;
}

/** True for http(s) URLs on loopback: only the local GitHub stand-in is reached over plain http. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
