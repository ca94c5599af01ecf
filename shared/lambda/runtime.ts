/**
 * Clients the handlers share, built lazily once per process (a Lambda cold start) from the
 * environment, outside any one invocation. Endpoints come from the AWS SDK's own variables
 * (`AWS_ENDPOINT_URL_DYNAMODB`, …), which is how the local runtime points the same handlers at
 * dynalite and fauxqs. Each port is built on first use, so a function only needs the variables of
 * the ports it touches (the lock λ has no bucket). The local runtime and tests may also plug their
 * own ports in with `configureRuntime` before the first call.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { connectEks, connectKubeconfig, type ClusterClient } from '../kube/index.ts';
import type { Cluster } from '../model/cluster.ts';
import { createStore, type Store } from '../store/index.ts';
import { ENV, integerEnv, optionalEnv, requiredEnv } from '../config/env.ts';
import { DEFAULT_LOCK_LEASE_SECONDS } from '../config/resources.ts';
import type { ClusterConnector, EngineDeps } from '../engine/deps.ts';
import { s3BlobStore } from '../engine/blob-store.ts';
import { sfnExecutions } from '../engine/executions.ts';
import { snsNotifier } from '../engine/notifier.ts';
import { dynamoRequestStore } from '../engine/requests.ts';
import { powertools } from './middify.ts';

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

function once<K extends keyof EngineDeps>(key: K, make: () => EngineDeps[K]): EngineDeps[K] {
  if (plugged[key] !== undefined) return plugged[key] as EngineDeps[K];
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
 * The engine's ports, each made on first use.
 * @example export const handler = middifyEvent((input: WaveTaskInput) => runWaveTask(engineDeps(), input, 'apply'));
 */
export function engineDeps(): EngineDeps {
  const { logger } = powertools();
  return {
    get store() { return stateStore(); },
    get blobs() { return once('blobs', () => s3BlobStore(new S3Client({}), requiredEnv(ENV.BUCKET_NAME))); },
    get requests() { return once('requests', () => dynamoRequestStore({ tableName: requiredEnv(ENV.TABLE_NAME), client: dynamoClient() })); },
    get executions() { return once('executions', () => sfnExecutions(new SFNClient({}), requiredEnv(ENV.WRITER_STATE_MACHINE_ARN))); },
    get notifier() {
      return once('notifier', () => {
        const topic = optionalEnv(ENV.TOPIC_ARN);
        return topic ? snsNotifier(new SNSClient({}), topic) : undefined;
      });
    },
    get connect() { return once('connect', () => cachedConnector()); },
    get leaseMs() { return once('leaseMs', () => integerEnv(ENV.LOCK_LEASE_SECONDS, DEFAULT_LOCK_LEASE_SECONDS) * 1000); },
    get tickOptions() { return plugged.tickOptions; },
    get now() { return plugged.now; },
    log: plugged.log ?? ((level, message, fields) => logger[level](message, fields ?? {})),
  };
}

/**
 * Connects to registered clusters, one client per cluster and purpose, made again when the
 * registration changes. A kubeconfig cluster (the simulator, kind) needs no AWS at all.
 */
export function cachedConnector(): ClusterConnector {
  const clients = new Map<string, { spec: string; client: Promise<ClusterClient> }>();
  return (cluster, options) => {
    const key = `${cluster.name}:${options.purpose}`;
    const spec = JSON.stringify(cluster.connection);
    const cached = clients.get(key);
    if (cached && cached.spec === spec) return cached.client;
    const client = connect(cluster, options.purpose, options.syncId);
    clients.set(key, { spec, client });
    client.catch(() => clients.delete(key));
    return client;
  };
}

async function connect(cluster: Cluster, purpose: 'deploy' | 'read', syncId?: string): Promise<ClusterClient> {
  const c = cluster.connection;
  if (c.type === 'kubeconfig') return connectKubeconfig({ path: c.path, context: c.context });
  const roleArn = purpose === 'read' ? c.readOnlyRoleArn ?? c.roleArn : c.roleArn;
  return connectEks({ clusterName: c.clusterName, region: c.region, ...(roleArn ? { roleArn, syncId: syncId ?? `gitwave-${purpose}` } : {}) });
}
