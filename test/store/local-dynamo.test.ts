// The dynalite front: the table made from the shared definition, and TransactWriteItems that are
// all-or-nothing (a failed action undoes the earlier ones; a ConditionCheck leaves no trace).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DescribeTableCommand, GetItemCommand, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../../shared/store/index.ts';
import { useDynamo } from './helpers.ts';

const fixture = useDynamo();
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: 'X' } });
const get = async (client: DynamoDBClient, table: string, pk: string) =>
  (await client.send(new GetItemCommand({ TableName: table, Key: key(pk), ConsistentRead: true }))).Item;

describe('local DynamoDB front', () => {
  it('creates the table with the keys and the byRepository GSI of the shared definition', async () => {
    const { client, tableName } = await fixture();
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    assert.deepEqual(Table?.KeySchema?.map((k) => [k.AttributeName, k.KeyType]), [['pk', 'HASH'], ['sk', 'RANGE']]);
    const gsi = Table?.GlobalSecondaryIndexes?.[0];
    assert.equal(gsi?.IndexName, TABLE_SCHEMA.byRepository.indexName);
    assert.deepEqual(gsi?.KeySchema?.map((k) => k.AttributeName), ['gsi1pk', 'gsi1sk']);
  });

  it('applies a transaction whose conditions hold, leaving no trace of its ConditionCheck', async () => {
    const { client, tableName } = await fixture();
    await client.send(new TransactWriteItemsCommand({ TransactItems: [
      { ConditionCheck: { TableName: tableName, Key: key('guard'), ConditionExpression: 'attribute_not_exists(pk)' } },
      { Put: { TableName: tableName, Item: { ...key('a'), v: { N: '1' } } } },
    ] }));
    assert.equal((await get(client, tableName, 'a'))?.v.N, '1');
    assert.equal(await get(client, tableName, 'guard'), undefined);
  });

  it('undoes earlier actions when a later condition fails, and names the failed action', async () => {
    const { client, tableName } = await fixture();
    await client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: tableName, Item: { ...key('a'), v: { N: '1' } } } }] }));
    const error = await client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Update: { TableName: tableName, Key: key('a'), UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': { N: '2' } } } },
      { Delete: { TableName: tableName, Key: key('b') } },
      { Put: { TableName: tableName, Item: { ...key('c') }, ConditionExpression: 'attribute_exists(pk)' } },
    ] })).then(() => undefined, (e: unknown) => e as { name: string; CancellationReasons?: Array<{ Code: string }> });
    assert.equal(error?.name, 'TransactionCanceledException');
    assert.deepEqual(error?.CancellationReasons?.map((r) => r.Code), ['None', 'None', 'ConditionalCheckFailed']);
    assert.equal((await get(client, tableName, 'a'))?.v.N, '1');
  });

  it('refuses two actions on one item', async () => {
    const { client, tableName } = await fixture();
    await assert.rejects(client.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: tableName, Item: key('a') } }, { Delete: { TableName: tableName, Key: key('a') } },
    ] })), { name: 'ValidationException' });
  });
});
