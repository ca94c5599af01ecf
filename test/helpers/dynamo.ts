/**
 * DynamoDB for the tests: AWS's DynamoDB Local (local/dynamodb-local.ts). `npm test` starts one for
 * the whole run and passes its endpoint in GITWAVE_TEST_DYNAMODB; a test file run on its own starts
 * one for its process on first use. Each `testDynamo()` gets a database of its own: DynamoDB Local
 * (without -sharedDb) keeps one per access key, so every caller gets a fresh key and can use the
 * stack's table name without seeing another test's items.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';

export const TEST_DYNAMODB_ENV = 'GITWAVE_TEST_DYNAMODB';

export interface TestDynamo {
  endpoint: string;
  region: string;
  /** This database's access key (DynamoDB Local accepts letters and digits only). */
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** A client on this database (the caller destroys it). */
  client(): DynamoDBClient;
  /** Deletes this database's tables, so the shared emulator does not grow over the run. */
  stop(): Promise<void>;
}

let ownServer: Promise<string> | undefined;

async function endpoint(): Promise<string> {
  const shared = process.env[TEST_DYNAMODB_ENV];
  if (shared) return shared;
  ownServer ??= startDynamoDbLocal({ unref: true }).then((ddb) => ddb.endpoint);
  return ownServer;
}

export async function testDynamo(): Promise<TestDynamo> {
  const credentials = { accessKeyId: `t${process.pid}x${randomBytes(6).toString('hex')}`, secretAccessKey: 'local' };
  const dynamo: TestDynamo = {
    endpoint: await endpoint(),
    region: 'us-east-1',
    credentials,
    client: () => new DynamoDBClient({ endpoint: dynamo.endpoint, region: dynamo.region, credentials, maxAttempts: 1 }),
    stop: async () => {
      const client = dynamo.client();
      try {
        const { TableNames = [] } = await client.send(new ListTablesCommand({}));
        for (const TableName of TableNames) await client.send(new DeleteTableCommand({ TableName }));
      } finally {
        client.destroy();
      }
    },
  };
  return dynamo;
}
