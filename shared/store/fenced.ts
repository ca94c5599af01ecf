/**
 * Writes that must fail once their writer lost the cluster lock (SECURITY.md §4, fencing): one
 * TransactWriteItems whose first action is a ConditionCheck on the lock item (`owner = :me AND
 * fence = :f`). A stale holder's status, operation and history writes are cancelled as a whole.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, type StoreContext } from './context.ts';
import { LockLostError } from './errors.ts';
import { LOCK_NAMES } from './lock.ts';
import type { LockGuard } from './ports.ts';
import { keys } from './schema.ts';

type TransactItems = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>;
export type TransactItem = TransactItems[number];

/** Runs `items` only while `guard` holds the lock; LockLostError otherwise. */
export async function writeFenced(ctx: StoreContext, guard: LockGuard, items: TransactItem[]): Promise<void> {
  const check: TransactItem = {
    ConditionCheck: {
      TableName: ctx.table,
      Key: keys.lock(guard.cluster),
      ConditionExpression: '#owner = :me AND fence = :fence',
      ExpressionAttributeNames: { '#owner': LOCK_NAMES['#owner'] },
      ExpressionAttributeValues: { ':me': guard.owner, ':fence': guard.fence },
    },
  };
  try {
    await ctx.doc.send(new TransactWriteCommand({ TransactItems: [check, ...items] }));
  } catch (error) {
    if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') throw new LockLostError(guard.cluster, guard.fence, { cause: error });
    throw error;
  }
}
