/**
 * Operation records (every sync attempt, kept 90 days like Step Functions' own history) and the
 * Application history (SPEC-sync §7.3: appended only for Succeeded, non-dry-run, non-selective syncs,
 * ids from 0, trimmed to revisionHistoryLimit). The final record, the history entry and the trim are
 * one fenced transaction, so a stale holder can add neither.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, queryAll, withoutKeys, type StoreContext } from './context.ts';
import { writeFenced, type TransactItem } from './fenced.ts';
import type { AppStatus, HistoryEntry, LockGuard, OperationRecord, OperationStore } from './ports.ts';
import { keys, SK_PREFIX } from './schema.ts';
import { statusUpdate } from './status.ts';

const OPERATION_TTL_SECONDS = 90 * 24 * 3600;
/** A transaction holds at most 100 actions; older entries beyond this are trimmed by later syncs. */
const MAX_TRIM_PER_WRITE = 90;

/** Whether a finished attempt enters history (SPEC-sync §7.3). */
export function entersHistory(record: OperationRecord): boolean {
  return record.phase === 'Succeeded' && !record.dryRun && !record.selective;
}

export function dynamoOperationStore(ctx: StoreContext): OperationStore {
  return {
    putOperation: (record, guard) => writeFenced(ctx, guard, [operationPut(ctx, record)]),
    finishOperation: (record, guard, options) => finishOperation(ctx, record, guard, options),
    markOperationAborted: (app, syncId, message) => markAborted(ctx, app, syncId, message),
    getOperation: async (app, syncId) => {
      const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: keys.operation(app, syncId), ConsistentRead: true }));
      return Item ? withoutKeys<OperationRecord>(Item) : undefined;
    },
    listOperations: async (app) => {
      const items = await queryPrefix(ctx, app, SK_PREFIX.operation);
      return items.map((item) => withoutKeys<OperationRecord>(item)).sort(newestFirst);
    },
    listHistory: async (app) => (await queryPrefix(ctx, app, SK_PREFIX.history)).map((item) => withoutKeys<HistoryEntry>(item)),
  };
}

/**
 * startedAt has whole seconds (Argo's operationState does), so two syncs of one second tie: the one
 * still running, then the one that finished later, comes first.
 */
function newestFirst(a: OperationRecord, b: OperationRecord): number {
  return b.startedAt.localeCompare(a.startedAt) || (b.finishedAt ?? '\uffff').localeCompare(a.finishedAt ?? '\uffff');
}

async function finishOperation(
  ctx: StoreContext, record: OperationRecord, guard: LockGuard, options: { revisionHistoryLimit: number; status?: AppStatus },
): Promise<number | undefined> {
  const items: TransactItem[] = [operationPut(ctx, record)];
  if (options.status) items.push(statusUpdate(ctx, record.app, options.status));
  let appended: number | undefined;
  if (entersHistory(record)) {
    const ids = (await queryPrefix(ctx, record.app, SK_PREFIX.history)).map((item) => Number(item.id));
    const nextId = ids.length > 0 ? ids[ids.length - 1] + 1 : 0;
    const limit = Math.max(0, options.revisionHistoryLimit);
    const kept = new Set(limit === 0 ? [] : [...ids, nextId].slice(-limit));
    if (kept.has(nextId)) {
      items.push(historyPut(ctx, record, nextId));
      appended = nextId;
    }
    const trimmed = ids.filter((id) => !kept.has(id)).slice(0, MAX_TRIM_PER_WRITE);
    items.push(...trimmed.map((id): TransactItem => ({ Delete: { TableName: ctx.table, Key: keys.history(record.app, id) } })));
  }
  await writeFenced(ctx, guard, items);
  return appended;
}

function operationPut(ctx: StoreContext, record: OperationRecord): TransactItem {
  const ttl = Math.floor(Date.parse(record.startedAt) / 1000) + OPERATION_TTL_SECONDS;
  return { Put: { TableName: ctx.table, Item: { ...keys.operation(record.app, record.syncId), ...record, ttl } } };
}

function historyPut(ctx: StoreContext, record: OperationRecord, id: number): TransactItem {
  const entry: HistoryEntry = {
    id,
    revision: record.revision,
    source: record.source,
    deployedAt: record.finishedAt ?? new Date(ctx.now()).toISOString(),
    deployStartedAt: record.startedAt,
    initiatedBy: record.initiatedBy,
    syncId: record.syncId,
    fromGit: record.fromGit,
  };
  return {
    Put: {
      TableName: ctx.table,
      Item: { ...keys.history(record.app, id), ...entry },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

async function markAborted(ctx: StoreContext, app: string, syncId: string, message: string): Promise<boolean> {
  return conditionalWrite(ctx.doc.send(new UpdateCommand({
    TableName: ctx.table,
    Key: keys.operation(app, syncId),
    UpdateExpression: 'SET #phase = :aborted, #message = :message, finishedAt = :now',
    ConditionExpression: '#phase = :running',
    ExpressionAttributeNames: { '#phase': 'phase', '#message': 'message' },
    ExpressionAttributeValues: { ':aborted': 'Aborted', ':running': 'Running', ':message': message, ':now': new Date(ctx.now()).toISOString() },
  })));
}

function queryPrefix(ctx: StoreContext, app: string, prefix: string) {
  return queryAll(ctx, {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': keys.status(app).pk, ':prefix': prefix },
    ConsistentRead: true,
  });
}
