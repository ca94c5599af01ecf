/**
 * The cluster lock, exactly as SECURITY.md §4 writes it: one item `CLUSTER#<name>` / `LOCK` with
 * `owner`, a `fence` that only grows (ADD on every acquire), `leaseUntil` (epoch ms), `syncId` and a
 * `ttl` for garbage collection only. Acquire, renew and release are single conditional UpdateItems;
 * the item is never deleted (that would free someone else's lock and reset the fence).
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, isConditionFailed, type StoreContext } from './context.ts';
import { LockLostError } from './errors.ts';
import type { AcquireResult, ClusterLock, LockGuard, LockHolder } from './ports.ts';
import { keys } from './schema.ts';

/** DynamoDB reserves OWNER and TTL as words, so every expression names them through these. */
export const LOCK_NAMES = { '#owner': 'owner', '#ttl': 'ttl' } as const;
/** Garbage collection of an idle lock item: a day after its last lease ends. */
const TTL_GRACE_SECONDS = 24 * 3600;

export function dynamoClusterLock(ctx: StoreContext): ClusterLock {
  return {
    acquire: (cluster, owner, options) => acquire(ctx, cluster, owner, options),
    renew: (guard, options) => renew(ctx, guard, options.leaseMs),
    release: (guard) => release(ctx, guard.cluster, guard.owner, guard.fence),
    releaseAbandoned: (cluster, owner) => release(ctx, cluster, owner),
    read: (cluster) => read(ctx, cluster),
  };
}

async function acquire(ctx: StoreContext, cluster: string, owner: string, options: { syncId: string; leaseMs: number }): Promise<AcquireResult> {
  const now = ctx.now();
  const leaseUntil = now + options.leaseMs;
  try {
    const result = await ctx.doc.send(new UpdateCommand({
      TableName: ctx.table,
      Key: keys.lock(cluster),
      UpdateExpression: 'SET #owner = :me, leaseUntil = :until, syncId = :syncId, #ttl = :ttl ADD fence :one',
      ConditionExpression: 'attribute_not_exists(#owner) OR leaseUntil < :now OR #owner = :me',
      ExpressionAttributeNames: LOCK_NAMES,
      ExpressionAttributeValues: {
        ':me': owner, ':until': leaseUntil, ':syncId': options.syncId, ':now': now, ':one': 1,
        ':ttl': Math.ceil(leaseUntil / 1000) + TTL_GRACE_SECONDS,
      },
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    }));
    return { acquired: true, fence: Number(result.Attributes!.fence), leaseUntil };
  } catch (error) {
    if (!isConditionFailed(error)) throw error;
    const old = (error as { Item?: Record<string, { S?: string; N?: string }> }).Item;
    return { acquired: false, ...(old ? { holder: holderOf(plainAttributes(old)) } : {}) };
  }
}

async function renew(ctx: StoreContext, guard: LockGuard, leaseMs: number): Promise<number> {
  const leaseUntil = ctx.now() + leaseMs;
  try {
    await ctx.doc.send(new UpdateCommand({
      TableName: ctx.table,
      Key: keys.lock(guard.cluster),
      UpdateExpression: 'SET leaseUntil = :until, #ttl = :ttl',
      ConditionExpression: '#owner = :me AND fence = :fence',
      ExpressionAttributeNames: LOCK_NAMES,
      ExpressionAttributeValues: {
        ':me': guard.owner, ':fence': guard.fence, ':until': leaseUntil, ':ttl': Math.ceil(leaseUntil / 1000) + TTL_GRACE_SECONDS,
      },
    }));
    return leaseUntil;
  } catch (error) {
    if (isConditionFailed(error)) throw new LockLostError(guard.cluster, guard.fence, { cause: error });
    throw error;
  }
}

/** REMOVE owner and lease if still ours; with a fence (the holder) or without (the janitor). */
async function release(ctx: StoreContext, cluster: string, owner: string, fence?: number): Promise<boolean> {
  return conditionalWrite(ctx.doc.send(new UpdateCommand({
    TableName: ctx.table,
    Key: keys.lock(cluster),
    UpdateExpression: 'REMOVE #owner, leaseUntil, syncId',
    ConditionExpression: fence === undefined ? '#owner = :me' : '#owner = :me AND fence = :fence',
    ExpressionAttributeNames: { '#owner': 'owner' },
    ExpressionAttributeValues: { ':me': owner, ...(fence === undefined ? {} : { ':fence': fence }) },
  })));
}

async function read(ctx: StoreContext, cluster: string) {
  // Strongly consistent: an expired TTL item may linger, and a stale read could show a free lock.
  const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: keys.lock(cluster), ConsistentRead: true }));
  if (!Item) return undefined;
  const holder = holderOf(Item);
  const held = typeof Item.owner === 'string' && holder.leaseUntil >= ctx.now();
  return { ...holder, held };
}

/** The error's Item is in raw AttributeValue form (the document client does not convert errors). */
function plainAttributes(item: Record<string, { S?: string; N?: string }>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, value.S ?? (value.N === undefined ? undefined : Number(value.N))]));
}

function holderOf(item: Record<string, unknown>): LockHolder {
  return {
    owner: String(item.owner ?? ''),
    fence: Number(item.fence ?? 0),
    leaseUntil: Number(item.leaseUntil ?? 0),
    ...(typeof item.syncId === 'string' ? { syncId: item.syncId } : {}),
  };
}
