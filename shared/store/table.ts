/**
 * Creating the table outside CDK (the local runtime, tests): the same definition as the stack, from
 * schema.ts. TTL is switched on where the endpoint supports it. Expiry is never prompt (AWS deletes
 * expired items within days), which is why readers treat an expired `ttl` as absent.
 */
import { CreateTableCommand, DynamoDBClient, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { createTableInput, TABLE_SCHEMA } from './schema.ts';

/** Creates the table if it does not exist yet. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(tableName)));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  try {
    await client.send(new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
    }));
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name !== 'UnknownOperationException' && name !== 'ValidationException') throw error;
  }
}
