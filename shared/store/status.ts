/**
 * Application status (sync, health, operation state, resources): one item per Application. A sync
 * writes it under its fence; the drift sweep only while the cluster is not locked, so it never
 * overwrites what a running sync reports; the janitor only ends the operation it names, if still
 * Running. Each write sets only the fields it is given.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, type StoreContext } from './context.ts';
import { writeFenced, writeUnlocked, type TransactItem } from './fenced.ts';
import type { AppStatus, StatusStore } from './ports.ts';
import { keys } from './schema.ts';

export function dynamoStatusStore(ctx: StoreContext): StatusStore {
  return {
    getStatus: async (app) => {
      const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: keys.status(app), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, updatedAt: _updatedAt, ...status } = Item;
      return status as AppStatus;
    },
    writeStatus: (app, patch, guard) => writeFenced(ctx, guard, [statusUpdate(ctx, app, patch)]),
    writeObservedStatus: (app, patch, cluster) => writeUnlocked(ctx, cluster, [statusUpdate(ctx, app, patch)]),
    endOperationState: (app, syncId, ending) => endOperationState(ctx, app, syncId, ending),
  };
}

/** Sets phase, message and finishedAt of the status's operation state while it shows `syncId` Running. */
async function endOperationState(ctx: StoreContext, app: string, syncId: string, ending: { phase: string; message: string }): Promise<boolean> {
  const now = new Date(ctx.now()).toISOString();
  return conditionalWrite(ctx.doc.send(new UpdateCommand({
    TableName: ctx.table,
    Key: keys.status(app),
    UpdateExpression: 'SET #op.#phase = :phase, #op.#message = :message, #op.finishedAt = :now, updatedAt = :now',
    ConditionExpression: '#op.syncId = :syncId AND #op.#phase = :running',
    ExpressionAttributeNames: { '#op': 'operationState', '#phase': 'phase', '#message': 'message' },
    ExpressionAttributeValues: { ':phase': ending.phase, ':message': ending.message, ':now': now, ':syncId': syncId, ':running': 'Running' },
  })));
}

/** An Update that sets each given top-level field (and updatedAt), leaving the others as they are. */
export function statusUpdate(ctx: StoreContext, app: string, patch: AppStatus): TransactItem {
  const fields = Object.entries({ ...patch, updatedAt: new Date(ctx.now()).toISOString() }).filter(([, v]) => v !== undefined);
  return {
    Update: {
      TableName: ctx.table,
      Key: keys.status(app),
      UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(fields.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(fields.map(([, value], i) => [`:v${i}`, value])),
    },
  };
}
