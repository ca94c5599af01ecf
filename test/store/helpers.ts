// AWS's DynamoDB Local (test/helpers/dynamo.ts: one database per test file), the table made from the shared
// definition, and a store whose clock the test moves by hand (no sleeping, no timed assertions).
import { after, before } from 'node:test';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createStore, ensureTable, type Store } from '../../shared/store/index.ts';
import { testDynamo, type TestDynamo } from '../helpers/dynamo.ts';

export const T0 = Date.parse('2025-06-01T12:00:00Z');

export interface StoreFixture {
  store: Store;
  client: DynamoDBClient;
  clock: { t: number };
  tableName: string;
}

/** Opens a database before the file's tests and drops it after; `fixture()` gives a fresh table. */
export function useDynamo(): () => Promise<StoreFixture> {
  let dynamo: TestDynamo;
  let client: DynamoDBClient;
  let tables = 0;
  before(async () => {
    dynamo = await testDynamo();
    client = dynamo.client();
  });
  after(async () => {
    client.destroy();
    await dynamo.stop();
  });
  return async () => {
    const tableName = `gitwave-test-${++tables}`;
    await ensureTable(client, tableName);
    const clock = { t: T0 };
    return { store: createStore({ tableName, client, now: () => clock.t }), client, clock, tableName };
  };
}
