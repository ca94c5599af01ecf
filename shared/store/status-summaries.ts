/**
 * Many statuses at once, BatchGetItem by 100 keys (DynamoDB's limit), several batches in flight: the
 * list's view, each item cut down by a projection to the fields a list row shows (sync, health and the
 * operation's phase, message and times, never the resources or the per-task results), and the drift
 * sweep's whole statuses, read strongly consistent (getStatuses). One
 * GetItem per Application took 7–10 s for 500 of them on dynalite (the local emulator then); this reads 5,000 in one pass.
 *
 * DynamoDB may answer part of a batch and return the rest as UnprocessedKeys (throttling, the 16 MB
 * answer cap): those are asked again, with a growing pause, until every key is answered or the
 * attempts run out (then the error says how many statuses were left unread).
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { StoreContext } from './context.ts';
import type { AppStatus, StatusSummary } from './ports.ts';
import { keys, type ItemKey } from './schema.ts';

/** DynamoDB's BatchGetItem key limit. */
export const BATCH_GET_LIMIT = 100;
/** Batches in flight at once: enough to hide latency, few enough not to throttle a table on demand. */
const BATCHES_IN_FLIGHT = 8;
const MAX_ATTEMPTS = 8;
const FIRST_PAUSE_MS = 25;

const PROJECTION = {
  ProjectionExpression: 'pk, #sync, #health, #op.#phase, #op.#message, #op.startedAt, #op.finishedAt, #op.syncId',
  ExpressionAttributeNames: { '#sync': 'sync', '#health': 'health', '#op': 'operationState', '#phase': 'phase', '#message': 'message' },
};

export interface BatchOptions {
  /** The pause before asking again for unprocessed keys (attempt 1, 2, …); default 25 ms doubling. */
  pause?: (attempt: number) => Promise<void>;
}

const defaultPause = (attempt: number) => new Promise<void>((resolve) => setTimeout(resolve, FIRST_PAUSE_MS * 2 ** (attempt - 1)));

/**
 * The list fields of each named Application's status; Applications with no status yet are absent.
 * @example (await getStatusSummaries(ctx, ['orders-dev'])).get('orders-dev')?.health // { status: 'Healthy' }
 */
export function getStatusSummaries(ctx: StoreContext, apps: readonly string[], options: BatchOptions = {}): Promise<Map<string, StatusSummary>> {
  // Eventually consistent (half the read units): a list row a second old is fine.
  return readStatuses(ctx, apps, PROJECTION, options) as Promise<Map<string, StatusSummary>>;
}

/**
 * Each named Application's whole status, strongly consistent (the drift sweep compares from these and
 * writes over them only if their `comparedSeq` is still current); no status, no entry.
 * @example (await getStatuses(ctx, names)).get('orders-dev')?.desiredKey
 */
export async function getStatuses(ctx: StoreContext, apps: readonly string[], options: BatchOptions = {}): Promise<Map<string, AppStatus>> {
  const found = await readStatuses(ctx, apps, { ConsistentRead: true }, options);
  for (const [app, item] of found) {
    const { sk: _sk, updatedAt: _updatedAt, ...status } = item;
    found.set(app, status);
  }
  return found as Map<string, AppStatus>;
}

type ReadOptions = typeof PROJECTION | { ConsistentRead: true };

/** The status items of `apps` by name (without `pk`), batches of 100 keys, several in flight. */
async function readStatuses(ctx: StoreContext, apps: readonly string[], read: ReadOptions, options: BatchOptions): Promise<Map<string, Record<string, unknown>>> {
  const names = [...new Set(apps)];
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += BATCH_GET_LIMIT) chunks.push(names.slice(i, i + BATCH_GET_LIMIT));
  const found = new Map<string, Record<string, unknown>>();
  let next = 0;
  const worker = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next++];
      for (const item of await readBatch(ctx, chunk.map((name) => keys.status(name)), read, options.pause ?? defaultPause)) {
        const { pk, ...status } = item;
        found.set(String(pk).slice('APP#'.length), status);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BATCHES_IN_FLIGHT, chunks.length) }, worker));
  return found;
}

/** Every item of one batch of keys, asking again for what DynamoDB left unprocessed. */
async function readBatch(
  ctx: StoreContext, batch: ItemKey[], read: ReadOptions, pause: (attempt: number) => Promise<void>,
): Promise<Array<Record<string, unknown>>> {
  const items: Array<Record<string, unknown>> = [];
  let pending: Array<Record<string, unknown>> = batch as unknown as Array<Record<string, unknown>>;
  for (let attempt = 1; pending.length > 0; attempt++) {
    if (attempt > MAX_ATTEMPTS) {
      throw new Error(`status read: DynamoDB left ${pending.length} of ${batch.length} statuses unprocessed after ${MAX_ATTEMPTS} attempts (throttled?)`);
    }
    if (attempt > 1) await pause(attempt - 1);
    const answer = await ctx.doc.send(new BatchGetCommand({ RequestItems: { [ctx.table]: { Keys: pending, ...read } } }));
    items.push(...(answer.Responses?.[ctx.table] ?? []));
    pending = answer.UnprocessedKeys?.[ctx.table]?.Keys ?? [];
  }
  return items;
}
