/**
 * The shared plumbing of the DynamoDB adapters: one document client, the table name and a clock.
 * The clock is injectable so tests can let a lease lapse without sleeping.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';

export interface StoreOptions {
  tableName: string;
  /** An SDK client to reuse (Lambda: built once, outside the handler); default: a new one. */
  client?: DynamoDBClient;
  /** For DynamoDB Local and other local endpoints. */
  endpoint?: string;
  region?: string;
  /** Epoch milliseconds; default Date.now. */
  now?: () => number;
}

export interface StoreContext {
  doc: DynamoDBDocumentClient;
  table: string;
  now: () => number;
}

export function storeContext(options: StoreOptions): StoreContext {
  const client = options.client ?? new DynamoDBClient({
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.region ? { region: options.region } : {}),
  });
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return { doc, table: options.tableName, now: options.now ?? Date.now };
}

/** Whether an SDK error is DynamoDB's conditional-check failure. */
export function isConditionFailed(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/**
 * Awaits a conditional write: true when it was made, false when its condition did not hold (another
 * writer got there first); any other error is thrown.
 * @example await conditionalWrite(ctx.doc.send(new PutCommand({ ..., ConditionExpression: 'attribute_not_exists(pk)' })))
 */
export async function conditionalWrite(write: Promise<unknown>): Promise<boolean> {
  try {
    await write;
    return true;
  } catch (error) {
    if (isConditionFailed(error)) return false;
    throw error;
  }
}

/** The reasons of a cancelled transaction, or undefined for any other error. */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

/** Every item of a Query, following LastEvaluatedKey. */
export async function queryAll(ctx: StoreContext, input: Omit<QueryCommandInput, 'TableName'>): Promise<Array<Record<string, any>>> {
  const items: Array<Record<string, any>> = [];
  let start: Record<string, any> | undefined;
  do {
    const page = await ctx.doc.send(new QueryCommand({ TableName: ctx.table, ...input, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** An item without its table keys. */
export function withoutKeys<T>(item: Record<string, any>): T {
  const { pk: _pk, sk: _sk, gsi1pk: _gsi1pk, gsi1sk: _gsi1sk, ttl: _ttl, ...rest } = item;
  return rest as T;
}
