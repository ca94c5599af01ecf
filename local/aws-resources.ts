/**
 * The AWS resources of the stack, made on the local servers with the stack's own settings
 * (shared/config/resources.ts): the table (DynamoDB Local), the FIFO request queue with its FIFO DLQ and
 * redrive policy, the bucket and the notification topic (fauxqs).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { FauxqsServer } from 'fauxqs';
import { ensureTable } from '../shared/store/index.ts';
import { REQUEST_QUEUE } from '../shared/config/resources.ts';

export const LOCAL_NAMES = {
  table: 'gitwave',
  bucket: 'gitwave-artifacts',
  topic: 'gitwave-sync-notifications',
  region: 'us-east-1',
} as const;

export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface LocalQueues {
  queueUrl: string;
  queueArn: string;
  dlqUrl: string;
  dlqArn: string;
}

export async function createTable(endpoint: string, credentials = LOCAL_CREDENTIALS): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_NAMES.region, credentials });
  try {
    await ensureTable(client, LOCAL_NAMES.table);
  } finally {
    client.destroy();
  }
}

export function createQueuesAndBucket(fauxqs: FauxqsServer): LocalQueues & { topicArn: string } {
  const dlq = fauxqs.createQueue(REQUEST_QUEUE.deadLetterQueueName, {
    attributes: { FifoQueue: 'true', MessageRetentionPeriod: String(REQUEST_QUEUE.deadLetterRetentionSeconds) },
  });
  const queue = fauxqs.createQueue(REQUEST_QUEUE.queueName, {
    attributes: {
      FifoQueue: 'true',
      VisibilityTimeout: String(REQUEST_QUEUE.visibilityTimeoutSeconds),
      MessageRetentionPeriod: String(REQUEST_QUEUE.retentionSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: String(REQUEST_QUEUE.maxReceiveCount) }),
    },
  });
  fauxqs.createBucket(LOCAL_NAMES.bucket);
  const { topicArn } = fauxqs.createTopic(LOCAL_NAMES.topic);
  return { queueUrl: queue.queueUrl, queueArn: queue.queueArn, dlqUrl: dlq.queueUrl, dlqArn: dlq.queueArn, topicArn };
}
