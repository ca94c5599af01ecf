/**
 * Operation requests: what a person asked for in a manual sync or a rollback (revision, prune,
 * dry run, strategy, selected resources, one-off overrides). The api λ stores one under a fresh id
 * and queues only that id (contracts.ts, SyncRequestMessage); render and plan read it back by id.
 * Kept a week (TTL), like webhook deliveries: long enough for any retry, short enough to stay small.
 * Item: pk `APP#<app>`, sk `REQUEST#<id>` in the one table.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ResourceKey } from '../model/object.ts';
import { storeContext, type StoreContext, type StoreOptions } from '../store/context.ts';
import { keys } from '../store/schema.ts';

/** Kept as long as webhook deliveries. */
export const REQUEST_TTL_SECONDS = 7 * 24 * 3600;

export interface OperationRequest {
  requestId: string;
  app: string;
  /** A commit, branch or tag to sync to instead of the Application's targetRevision. */
  revision?: string;
  /** Default: the Application's `automated.prune` (false when not automated). */
  prune?: boolean;
  dryRun?: boolean;
  /** `apply` runs no hooks; rollback always uses it (SPEC-sync §2.8, §7.3). */
  strategy?: 'hook' | 'apply';
  /** Selective sync: only these resources (no hooks, no history). */
  resources?: ResourceKey[];
  /** Replaces the Application's syncOptions for this operation (none given = the app's). */
  syncOptions?: string[];
  /** One-off parameter overrides, e.g. `{ kustomize: { images: ['web=repo/web:dev-42'] } }`. */
  overrides?: Record<string, unknown>;
  /** Rollback: the history entry synced to. */
  rollbackId?: number;
  initiatedBy: { username?: string; automated?: boolean };
  /** RFC 3339. */
  createdAt: string;
}

export interface RequestStore {
  putRequest(request: OperationRequest): Promise<void>;
  getRequest(app: string, requestId: string): Promise<OperationRequest | undefined>;
}

function requestKey(app: string, requestId: string): { pk: string; sk: string } {
  return { pk: keys.status(app).pk, sk: `REQUEST#${requestId}` };
}

/**
 * The DynamoDB adapter, on the same table (and SDK client, when given) as shared/store.
 * @example const requests = dynamoRequestStore({ tableName: 'gitwave', client });
 */
export function dynamoRequestStore(options: StoreOptions | StoreContext): RequestStore {
  const ctx = 'doc' in options ? options : storeContext(options);
  return {
    async putRequest(request) {
      const ttl = Math.floor(ctx.now() / 1000) + REQUEST_TTL_SECONDS;
      await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: { ...requestKey(request.app, request.requestId), ...request, ttl } }));
    },
    async getRequest(app, requestId) {
      const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: requestKey(app, requestId), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, ttl: _ttl, ...request } = Item;
      return request as OperationRequest;
    },
  };
}
