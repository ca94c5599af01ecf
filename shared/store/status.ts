/**
 * Application status (sync, health, operation state, resources): one item per Application. A sync
 * writes its operation state under its fence; the janitor only ends the operation it names, if still
 * Running. Each write sets only the fields it is given.
 *
 * Comparisons (the plan step's, the drift sweep's) and a sync's outcome are ordered by `comparedSeq`,
 * which each of them increments: a comparison is written only if the sequence is still the one it read
 * before comparing, so one that a sync's outcome (or another comparison) overtook while it listed the
 * cluster is refused instead of putting its older view back. No cluster lock is involved: a running
 * sync does not stop the status from comparing against the newest commit. A sync's outcome is written
 * only while the status still compares against the sync's revision.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { cancellationCodes, conditionalWrite, type StoreContext } from './context.ts';
import { writeFenced, type TransactItem } from './fenced.ts';
import type { AppStatus, LockGuard, StatusStore } from './ports.ts';
import { keys } from './schema.ts';
import { getStatuses, getStatusSummaries } from './status-summaries.ts';

export function dynamoStatusStore(ctx: StoreContext): StatusStore {
  return {
    getStatus: async (app) => {
      const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: keys.status(app), ConsistentRead: true }));
      if (!Item) return undefined;
      const { pk: _pk, sk: _sk, updatedAt: _updatedAt, ...status } = Item;
      return status as AppStatus;
    },
    getStatusSummaries: (apps) => getStatusSummaries(ctx, apps),
    getStatuses: (apps) => getStatuses(ctx, apps),
    writeStatus: (app, patch, guard) => writeFenced(ctx, guard, [statusUpdate(ctx, app, patch)]),
    writeObservedStatus: (app, patch, basis) => conditionalWrite(ctx.doc.send(new UpdateCommand(comparisonUpdate(ctx, app, patch, sameSequence(basis))))),
    writeOutcomeStatus: (app, patch, guard, revision) => writeOutcome(ctx, app, patch, guard, revision),
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

type StatusUpdate = NonNullable<TransactItem['Update']>;
type Condition = Pick<StatusUpdate, 'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'>;

/** The status still carries the sequence `basis` was read with (none: no comparison was ever written). */
function sameSequence(basis: Pick<AppStatus, 'comparedSeq'> | undefined): Condition {
  return basis?.comparedSeq === undefined
    ? { ConditionExpression: 'attribute_not_exists(#seq)', ExpressionAttributeNames: { '#seq': 'comparedSeq' } }
    : { ConditionExpression: '#seq = :seq', ExpressionAttributeNames: { '#seq': 'comparedSeq' }, ExpressionAttributeValues: { ':seq': basis.comparedSeq } };
}

/** The status compares against `revision` (or against none yet). */
function sameRevision(revision: string): Condition {
  return {
    ConditionExpression: 'attribute_not_exists(#sync.#revision) OR #sync.#revision = :revision',
    ExpressionAttributeNames: { '#sync': 'sync', '#revision': 'revision' },
    ExpressionAttributeValues: { ':revision': revision },
  };
}

/** The status update of `patch` under `condition`, incrementing `comparedSeq`. */
function comparisonUpdate(ctx: StoreContext, app: string, patch: AppStatus, condition: Condition): StatusUpdate {
  const { comparedSeq: _ownedByTheStore, ...fields } = patch;
  const update = statusUpdate(ctx, app, fields).Update!;
  return {
    ...update,
    UpdateExpression: `${update.UpdateExpression} ADD #seq :one`,
    ConditionExpression: condition.ConditionExpression,
    ExpressionAttributeNames: { ...update.ExpressionAttributeNames, ...condition.ExpressionAttributeNames, '#seq': 'comparedSeq' },
    ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ...condition.ExpressionAttributeValues, ':one': 1 },
  };
}

/** A sync's outcome: fenced (LockLostError for a stale holder), and false when the status compares against another revision. */
async function writeOutcome(ctx: StoreContext, app: string, patch: AppStatus, guard: LockGuard, revision: string): Promise<boolean> {
  try {
    await writeFenced(ctx, guard, [{ Update: comparisonUpdate(ctx, app, patch, sameRevision(revision)) }]);
    return true;
  } catch (error) {
    // writeFenced puts its lock check first: the second action is the status update.
    if (cancellationCodes(error)?.[1] === 'ConditionalCheckFailed') return false;
    throw error;
  }
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
