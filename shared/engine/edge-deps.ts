/**
 * What the edge functions (webhook, render, drift, api) work through besides the engine's ports:
 * the request queue, the webhook secret, the Git source, the renderer, the plan λ and the optional
 * schema validator. Each is built on first use from the environment (shared/config/env.ts), once
 * per process, so a warm Lambda reuses its clients and a function needs only the variables of the
 * ports it touches. Endpoints come from the AWS SDK's own variables (`AWS_ENDPOINT_URL_SQS`, …),
 * which is how the local runtime and the tests point the same handlers at local servers.
 */
import { dirname } from 'node:path';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ENV, integerEnv, optionalEnv, requiredEnv } from '../config/env.ts';
import { createSourceReader, type SourceReader } from '../source/index.ts';
import { findKustomize, type Renderer } from '../render/index.ts';
import { SchemaValidator } from '../render/validate/validator.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../webhook/delivery.ts';
import { sqsRequestQueue, type RequestQueue } from './request-queue.ts';
import { cachedSecret, gitTokenOf } from './secrets.ts';
import { lambdaPlanner, type Planner } from './planner.ts';
import { renderStepRenderer } from './render-request.ts';

export interface EdgeDeps {
  queue: RequestQueue;
  /** The HMAC key of GitHub deliveries (cached a few minutes, so a rotation is picked up). */
  webhookSecret: () => Promise<string>;
  maxBodyBytes: number;
  source: SourceReader;
  renderer: Renderer;
  planner: Planner;
  /** Strict schema validation, when GITWAVE_SCHEMAS names a folder of OpenAPI documents. */
  schemas: () => Promise<SchemaValidator | undefined>;
}

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

function once<K extends keyof EdgeDeps>(key: K, make: () => EdgeDeps[K]): EdgeDeps[K] {
  const given = plugged[key];
  if (given !== undefined) return given as EdgeDeps[K];
  built[key] ??= make();
  return built[key] as EdgeDeps[K];
}

/**
 * The edge ports, each made on first use.
 * @example const answer = await handleDelivery(delivery, webhookPorts(stateStore(), edgeDeps(), body));
 */
export function edgeDeps(): EdgeDeps {
  return {
    get queue() { return once('queue', () => sqsRequestQueue(sqsClient(), requiredEnv(ENV.QUEUE_URL))); },
    get webhookSecret() { return once('webhookSecret', () => cachedSecret(secretsClient(), requiredEnv(ENV.WEBHOOK_SECRET_ARN))); },
    get maxBodyBytes() { return once('maxBodyBytes', () => integerEnv(ENV.WEBHOOK_MAX_BODY_BYTES, DEFAULT_MAX_BODY_BYTES)); },
    get source() { return once('source', () => sourceFromEnv()); },
    get renderer() { return once('renderer', () => rendererFromEnv()); },
    get planner() { return once('planner', () => lambdaPlanner(new LambdaClient({}), requiredEnv(ENV.PLAN_FUNCTION_NAME))); },
    get schemas() { return once('schemas', () => schemasFromEnv()); },
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
function secretsClient(): SecretsManagerClient {
  secrets ??= new SecretsManagerClient({});
  return secrets;
}

/** True for http(s) URLs on loopback: only the local GitHub stand-in is reached over plain http. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The source reader: GitHub through GITHUB_API_URL (a loopback stand-in plays github.com), any
 * other https Git host through smart HTTP; never local paths on Lambda.
 */
function sourceFromEnv(): SourceReader {
  const apiBaseUrl = optionalEnv(ENV.GITHUB_API_URL, 'https://api.github.com');
  const local = isLoopbackUrl(apiBaseUrl);
  const tokenArn = optionalEnv(ENV.GIT_TOKEN_SECRET_ARN);
  const tokens = tokenArn ? cachedSecret(secretsClient(), tokenArn) : undefined;
  const host = local || new URL(apiBaseUrl).hostname === 'api.github.com' ? 'github.com' : new URL(apiBaseUrl).hostname;
  return createSourceReader({
    github: {
      apiBaseUrl,
      allowHttp: local,
      hosts: [host],
      ...(tokens ? { token: async () => gitTokenOf(await tokens(), host) } : {}),
    },
  });
}

function rendererFromEnv(): Renderer {
  const binary = optionalEnv(ENV.KUSTOMIZE_PATH);
  return renderStepRenderer(binary ? { kustomize: findKustomize(dirname(binary)) } : {});
}

function schemasFromEnv(): () => Promise<SchemaValidator | undefined> {
  const dir = optionalEnv(ENV.GITWAVE_SCHEMAS);
  let validator: Promise<SchemaValidator> | undefined;
  return () => {
    if (!dir) return Promise.resolve(undefined);
    validator ??= SchemaValidator.open(dir);
    return validator;
  };
}
