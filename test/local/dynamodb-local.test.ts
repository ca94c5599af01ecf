// AWS's DynamoDB Local as the runtime and the tests run it: the table from the shared definition; the
// answers the cluster lock reads (the old item in a failed condition, alone or inside a transaction);
// data kept across a restart on the same folder (the runtime's home); one database per access key (the
// tests' isolation); and a clear error when Java is missing.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTable, TABLE_SCHEMA } from '../../shared/store/index.ts';
import { startDynamoDbLocal } from '../../local/dynamodb-local.ts';
import { testDynamo, type TestDynamo } from '../helpers/dynamo.ts';

const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'X' } });
const failure = (promise: Promise<unknown>) => promise.then(() => assert.fail('expected a refusal'), (e: unknown) => e as Record<string, any>);

describe('DynamoDB Local', () => {
  let dynamo: TestDynamo;
  let client: DynamoDBClient;
  before(async () => {
    dynamo = await testDynamo();
    client = dynamo.client();
    await ensureTable(client, 'gitwave');
    await client.send(new PutItemCommand({ TableName: 'gitwave', Item: { ...key('lock'), holder: { S: 'first' } } }));
  });
  after(async () => {
    client.destroy();
    await dynamo.stop();
  });

  it('creates the table with the keys and the byRepository GSI of the shared definition', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: 'gitwave' }));
    assert.deepEqual(Table?.KeySchema?.map((k) => [k.AttributeName, k.KeyType]), [['pk', 'HASH'], ['sk', 'RANGE']]);
    assert.equal(Table?.GlobalSecondaryIndexes?.[0]?.IndexName, TABLE_SCHEMA.byRepository.indexName);
    assert.deepEqual(Table?.GlobalSecondaryIndexes?.[0]?.KeySchema?.map((k) => k.AttributeName), ['gsi1pk', 'gsi1sk']);
  });

  it('returns the holder in a failed conditional update (ReturnValuesOnConditionCheckFailure)', async () => {
    const error = await failure(client.send(new UpdateItemCommand({
      TableName: 'gitwave', Key: key('lock'), UpdateExpression: 'SET holder = :me', ConditionExpression: 'attribute_not_exists(pk)',
      ExpressionAttributeValues: { ':me': { S: 'second' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    })));
    assert.equal(error.name, 'ConditionalCheckFailedException');
    assert.equal(error.Item?.holder?.S, 'first');
  });

  it('cancels a whole transaction on a failed ConditionCheck, naming it and carrying the old item', async () => {
    const error = await failure(client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'gitwave', Item: { ...key('status'), v: { N: '2' } } } },
      { ConditionCheck: { TableName: 'gitwave', Key: key('lock'), ConditionExpression: 'holder = :me', ExpressionAttributeValues: { ':me': { S: 'second' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ] })));
    assert.equal(error.name, 'TransactionCanceledException');
    assert.deepEqual(error.CancellationReasons?.map((r: { Code: string }) => r.Code), ['None', 'ConditionalCheckFailed']);
    assert.equal(error.CancellationReasons?.[1]?.Item?.holder?.S, 'first');
    const { Item } = await client.send(new GetItemCommand({ TableName: 'gitwave', Key: key('status'), ConsistentRead: true }));
    assert.equal(Item, undefined, 'the Put of the cancelled transaction left nothing');
  });

  it('keeps one database per access key, so tests sharing the emulator never see each other', async () => {
    const other = await testDynamo();
    const otherClient = other.client();
    try {
      assert.deepEqual((await otherClient.send(new ListTablesCommand({}))).TableNames, []);
      assert.deepEqual((await client.send(new ListTablesCommand({}))).TableNames, ['gitwave']);
    } finally {
      otherClient.destroy();
      await other.stop();
    }
  });
});

describe('DynamoDB Local as the runtime runs it', () => {
  it('keeps the table and its items across a restart on the same folder', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'gitwave-ddb-'));
    const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
    const open = async () => {
      const ddb = await startDynamoDbLocal({ dbPath: folder, sharedDb: true });
      return { ddb, client: new DynamoDBClient({ endpoint: ddb.endpoint, region: 'us-east-1', credentials }) };
    };
    try {
      const first = await open();
      await ensureTable(first.client, 'gitwave');
      await first.client.send(new PutItemCommand({ TableName: 'gitwave', Item: { ...key('app'), v: { S: 'kept' } } }));
      first.client.destroy();
      await first.ddb.stop();
      const second = await open();
      const { Item } = await second.client.send(new GetItemCommand({ TableName: 'gitwave', Key: key('app'), ConsistentRead: true }));
      second.client.destroy();
      await second.ddb.stop();
      assert.equal(Item?.v?.S, 'kept');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('says what to install when Java is missing', async () => {
    await assert.rejects(startDynamoDbLocal({ java: join(tmpdir(), 'no-such-java') }), /needs Java 17 or newer.*apt-get install openjdk-17-jre-headless/);
  });
});
