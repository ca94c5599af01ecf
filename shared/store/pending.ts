/**
 * The cluster's pending syncs and its request sequence: how a sync request reaches the cluster's one
 * writer without anyone polling the lock (docs/engine.md, "One writer per cluster").
 *
 *   CLUSTER#<name>  PENDING#<app>  the newest sync requested for the Application (one per app: a newer
 *                                  request replaces an older one, so the newest commit wins)
 *   CLUSTER#<name>  LOCK           … plus `seq`, ADDed by every request
 *
 * A request is two writes in this order: the pending item, then `ADD seq` on the lock item, which
 * answers the whole lock item as it is after the increment. A writer's claim renews its lease in one
 * update that answers `seq`, then reads the pending items; its release is conditional on `seq` being
 * the one its last claim saw. So a request either is seen by the claim, or moves `seq` past it and
 * the release fails (the writer claims again), or finds the lock free and starts a writer.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, isConditionFailed, type StoreContext } from './context.ts';
import { LockLostError } from './errors.ts';
import { LOCK_NAMES } from './lock.ts';
import type { ClaimedRequests, FinishedSync, LockGuard, PendingSync, RequestedSync, SyncQueue } from './ports.ts';
import { keys } from './schema.ts';

const PENDING = 'PENDING#';
/** Most requests one claim returns: the writer's state (claim and round results) stays far below the 256 KB payload limit. */
export const CLAIM_LIMIT = 200;
const TTL_GRACE_SECONDS = 24 * 3600;

export const pendingKey = (cluster: string, app: string) => ({ pk: keys.lock(cluster).pk, sk: `${PENDING}${app}` });

export function dynamoSyncQueue(ctx: StoreContext): SyncQueue {
  return {
    requestSync: (cluster, pending) => requestSync(ctx, cluster, pending),
    claimPending: (guard, options) => claimPending(ctx, guard, options.leaseMs),
    finishPending: (cluster, done) => finishPending(ctx, cluster, done),
    parkPending: (cluster, app, syncId) => parkPending(ctx, cluster, app, syncId),
    getPending: (cluster, app) => getPending(ctx, cluster, app),
    pendingCount: (cluster) => pendingCount(ctx, cluster),
    releaseIfIdle: (guard, seq) => releaseIfIdle(ctx, guard, seq),
  };
}

async function requestSync(ctx: StoreContext, cluster: string, pending: PendingSync): Promise<RequestedSync> {
  await ctx.doc.send(new PutCommand({ TableName: ctx.table, Item: { ...pendingKey(cluster, pending.app), ...pending } }));
  const { Attributes: lock = {} } = await ctx.doc.send(new UpdateCommand({
    TableName: ctx.table,
    Key: keys.lock(cluster),
    UpdateExpression: 'ADD seq :one',
    ExpressionAttributeValues: { ':one': 1 },
    ReturnValues: 'ALL_NEW',
  }));
  const owner = typeof lock.owner === 'string' ? lock.owner : undefined;
  const live = owner !== undefined && Number(lock.leaseUntil ?? 0) >= ctx.now();
  return { seq: Number(lock.seq), ...(owner ? { owner } : {}), writerLive: live };
}

/** Renews the lease (fenced) answering `seq`, then reads the pending items, oldest request first. */
async function claimPending(ctx: StoreContext, guard: LockGuard, leaseMs: number): Promise<ClaimedRequests> {
  const leaseUntil = ctx.now() + leaseMs;
  let seq: number;
  try {
    const { Attributes } = await ctx.doc.send(new UpdateCommand({
      TableName: ctx.table,
      Key: keys.lock(guard.cluster),
      UpdateExpression: 'SET leaseUntil = :until, #ttl = :ttl',
      ConditionExpression: '#owner = :me AND fence = :fence',
      ExpressionAttributeNames: LOCK_NAMES,
      ExpressionAttributeValues: { ':me': guard.owner, ':fence': guard.fence, ':until': leaseUntil, ':ttl': Math.ceil(leaseUntil / 1000) + TTL_GRACE_SECONDS },
      ReturnValues: 'ALL_NEW',
    }));
    seq = Number(Attributes?.seq ?? 0);
  } catch (error) {
    if (isConditionFailed(error)) throw new LockLostError(guard.cluster, guard.fence, { cause: error });
    throw error;
  }
  const { Items = [] } = await ctx.doc.send(new QueryCommand(pendingQuery(ctx, guard.cluster)));
  const requests = Items.map(pendingOf).sort((a, b) => a.requestedAt.localeCompare(b.requestedAt)).slice(0, CLAIM_LIMIT);
  // The parked syncs this round runs again are running from now on.
  await Promise.all(requests.filter((r) => r.parked).map((r) => conditionalWrite(ctx.doc.send(new UpdateCommand({
    TableName: ctx.table,
    Key: pendingKey(guard.cluster, r.app),
    UpdateExpression: 'REMOVE parked',
    ConditionExpression: 'syncId = :syncId',
    ExpressionAttributeValues: { ':syncId': r.syncId },
  })))));
  return { seq, requests: requests.map(({ parked: _parked, ...r }) => ({ ...r, resumes: r.resumes ?? 0 })) };
}

/**
 * Deletes the pending items of finished syncs, each only while it still names that sync (a newer
 * request stays) and that run of it (a sync that parked itself during the run stays for the next round).
 */
async function finishPending(ctx: StoreContext, cluster: string, done: ReadonlyArray<FinishedSync>): Promise<number> {
  const results = await Promise.all(done.map((d) => conditionalWrite(ctx.doc.send(new DeleteCommand({
    TableName: ctx.table,
    Key: pendingKey(cluster, d.app),
    ConditionExpression: d.resumes ? 'syncId = :syncId AND resumes = :resumes' : 'syncId = :syncId AND attribute_not_exists(resumes)',
    ExpressionAttributeValues: { ':syncId': d.syncId, ...(d.resumes ? { ':resumes': d.resumes } : {}) },
  })))));
  return results.filter(Boolean).length;
}

/** Counts one more run of the sync and parks it, while the item still names that sync; answers the count. */
async function parkPending(ctx: StoreContext, cluster: string, app: string, syncId: string): Promise<number | undefined> {
  try {
    const { Attributes } = await ctx.doc.send(new UpdateCommand({
      TableName: ctx.table,
      Key: pendingKey(cluster, app),
      UpdateExpression: 'ADD resumes :one SET parked = :parked',
      ConditionExpression: 'syncId = :syncId',
      ExpressionAttributeValues: { ':syncId': syncId, ':one': 1, ':parked': true },
      ReturnValues: 'UPDATED_NEW',
    }));
    return Number(Attributes?.resumes);
  } catch (error) {
    if (isConditionFailed(error)) return undefined;
    throw error;
  }
}

async function getPending(ctx: StoreContext, cluster: string, app: string): Promise<PendingSync | undefined> {
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: pendingKey(cluster, app), ConsistentRead: true }));
  return Item ? pendingOf(Item) : undefined;
}

/** Frees the lock if still ours and no request came since the claim that saw `seq`; false changes nothing. */
async function releaseIfIdle(ctx: StoreContext, guard: LockGuard, seq: number): Promise<boolean> {
  return conditionalWrite(ctx.doc.send(new UpdateCommand({
    TableName: ctx.table,
    Key: keys.lock(guard.cluster),
    UpdateExpression: 'REMOVE #owner, leaseUntil, syncId',
    ConditionExpression: `#owner = :me AND fence = :fence AND ${seq === 0 ? '(attribute_not_exists(seq) OR seq = :seq)' : 'seq = :seq'}`,
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: { ':me': guard.owner, ':fence': guard.fence, ':seq': seq },
  })));
}

function pendingQuery(ctx: StoreContext, cluster: string) {
  return {
    TableName: ctx.table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :pending)',
    ExpressionAttributeValues: { ':pk': keys.lock(cluster).pk, ':pending': PENDING },
    ConsistentRead: true,
  };
}

async function pendingCount(ctx: StoreContext, cluster: string): Promise<number> {
  const { Count = 0 } = await ctx.doc.send(new QueryCommand({ ...pendingQuery(ctx, cluster), Select: 'COUNT' }));
  return Count;
}

function pendingOf(item: Record<string, unknown>): PendingSync {
  return {
    app: String(item.app), syncId: String(item.syncId), planKey: String(item.planKey),
    revision: String(item.revision), requestedAt: String(item.requestedAt),
    ...(typeof item.resumes === 'number' ? { resumes: item.resumes } : {}),
    ...(item.parked === true ? { parked: true } : {}),
  };
}
