/**
 * Clients the handlers share, built lazily once per process (a Lambda cold start) from the
 * environment, outside any one invocation. Endpoints come from the AWS SDK's own variables
 * (`AWS_ENDPOINT_URL_DYNAMODB`, …), which is how the local runtime points the same handlers at
 * DynamoDB Local and fauxqs. Each port is built on first use, so a function only needs the variables of
 * the ports it touches (the lock λ has no bucket). The local runtime and tests may also plug their
 * own ports in with `configureRuntime` before the first call.
 *
 * A function names the ports beyond the store that it uses (`engineDeps({ blobs: s3Blobs })`, the
 * factories in ./ports/): its bundle then holds only those clients, and no Kubernetes client unless
 * it reaches clusters. Asking for a port the function did not name fails with the port's name.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStore, type Store } from '../store/index.ts';
import { ENV, integerEnv, requiredEnv } from '../config/env.ts';
import { DEFAULT_LOCK_LEASE_SECONDS } from '../config/resources.ts';
import type { EngineDeps } from '../engine/deps.ts';
import { dynamoRequestStore } from '../engine/requests.ts';
import { powertools } from './middify.ts';

/** The ports a function builds itself when nothing is plugged in (factories from ./ports/). */
export interface PortFactories {
  blobs?: () => EngineDeps['blobs'];
  connect?: () => EngineDeps['connect'];
  executions?: () => EngineDeps['executions'];
  notifier?: () => EngineDeps['notifier'];
  queue?: () => EngineDeps['queue'];
}

let store: Store | undefined;
let plugged: Partial<EngineDeps> = {};
const built: Partial<EngineDeps> = {};
let dynamo: DynamoDBClient | undefined;

/**
 * Replaces ports before handlers run (the local runtime: its own S3 client, Step Functions stand-in,
 * cluster connector). Passing `{}` forgets what was plugged and built.
 * @example configureRuntime({ blobs: s3BlobStore(localS3, 'gitwave'), executions: localExecutions });
 */
export function configureRuntime(parts: Partial<EngineDeps>): void {
  plugged = { ...plugged, ...parts };
  if (Object.keys(parts).length === 0) {
    plugged = {};
    store = undefined;
    for (const key of Object.keys(built) as Array<keyof EngineDeps>) delete built[key];
  }
}

function once<K extends keyof EngineDeps>(key: K, make: (() => EngineDeps[K]) | undefined): EngineDeps[K] {
  if (plugged[key] !== undefined) return plugged[key] as EngineDeps[K];
  if (!make) throw new Error(`this function was not given the ${key} port (engineDeps in functions/, shared/lambda/ports/)`);
  built[key] ??= make();
  return built[key] as EngineDeps[K];
}

/**
 * The state store on the table named by `TABLE_NAME` (or the one plugged in).
 * @example const lock = await stateStore().releaseAbandoned('dev', executionArn);
 */
export function stateStore(): Store {
  if (plugged.store) return plugged.store;
  store ??= createStore({ tableName: requiredEnv(ENV.TABLE_NAME), client: dynamoClient() });
  return store;
}

function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({});
  return dynamo;
}

/**
 * The engine's ports, each made on first use: the store, the request store and the lease always,
 * the others from the factories the function names.
 * @example export const handler = middifyEvent((input) => runWaveTask(engineDeps({ blobs: s3Blobs, connect: cachedConnector }), input, 'apply'));
 */
export function engineDeps(factories: PortFactories = {}): EngineDeps {
  const { logger } = powertools();
  return {
    get store() { return stateStore(); },
    get blobs() { return once('blobs', factories.blobs); },
    get requests() { return once('requests', () => dynamoRequestStore({ tableName: requiredEnv(ENV.TABLE_NAME), client: dynamoClient() })); },
    get executions() { return once('executions', factories.executions); },
    get notifier() { return once('notifier', factories.notifier); },
    get connect() { return once('connect', factories.connect); },
    get queue() { return factories.queue || plugged.queue ? once('queue', factories.queue) : undefined; },
    get leaseMs() { return once('leaseMs', () => integerEnv(ENV.LOCK_LEASE_SECONDS, DEFAULT_LOCK_LEASE_SECONDS) * 1000); },
    get tickOptions() { return plugged.tickOptions; },
    get now() { return plugged.now; },
    log: plugged.log ?? ((level, message, fields) => logger[level](message, fields ?? {})),
  };
}
