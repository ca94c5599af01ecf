/**
 * gitwave's state store on DynamoDB (one table, see schema.ts): registry, status, operations and
 * history, webhook deliveries and the cluster lock, each behind a port (ports.ts). Handlers build one
 * Store outside the handler and pass the ports they need to shared/ code.
 */
import { storeContext, type StoreOptions } from './context.ts';
import { dynamoDeliveryStore } from './deliveries.ts';
import { dynamoClusterLock } from './lock.ts';
import { dynamoSyncQueue } from './pending.ts';
import { dynamoOperationStore } from './operations.ts';
import type { Store } from './ports.ts';
import { dynamoRegistryStore } from './registry.ts';
import { dynamoStatusStore } from './status.ts';

export type * from './ports.ts';
export type { StoreOptions } from './context.ts';
export { ItemTooLargeError, LockHeldError, LockLostError } from './errors.ts';
export { entersHistory } from './operations.ts';
export { MAX_SOURCE_YAML_BYTES, trackedRefOf } from './registry.ts';
export { DELIVERY_TTL_SECONDS } from './deliveries.ts';
export { CLAIM_LIMIT } from './pending.ts';
export { BY_REPOSITORY, createTableInput, keys, TABLE_SCHEMA } from './schema.ts';
export { ensureTable } from './table.ts';
export { normalizeRepoURL } from '../model/repo-url.ts';

/**
 * Every port on one DynamoDB table.
 * @example const store = createStore({ tableName: requiredEnv(ENV.TABLE_NAME) });
 *          const lock = await store.acquire('dev', executionArn, { syncId, leaseMs: 600_000 });
 */
export function createStore(options: StoreOptions): Store {
  const ctx = storeContext(options);
  return {
    ...dynamoClusterLock(ctx),
    ...dynamoSyncQueue(ctx),
    ...dynamoRegistryStore(ctx),
    ...dynamoStatusStore(ctx),
    ...dynamoOperationStore(ctx),
    ...dynamoDeliveryStore(ctx),
  };
}
