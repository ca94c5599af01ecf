// The AWS side of the edge tests, on real local servers: AWS's DynamoDB Local, fauxqs (the
// FIFO request queue with its DLQ and the bucket, made with the stack's settings) and the Secrets
// Manager stand-in. The process environment is set as the local runtime sets it, so the handlers
// build their own SDK clients exactly as they do on Lambda (AWS_ENDPOINT_URL_* and the ENV names).
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { createStore, type Store } from '../../../shared/store/index.ts';
import { testDynamo } from '../../helpers/dynamo.ts';
import { createQueuesAndBucket, createTable, LOCAL_NAMES } from '../../../local/aws-resources.ts';
import { startSecretsManager } from '../../../local/stubs/secrets-manager.ts';
import { ENV } from '../../../shared/config/env.ts';
import { s3BlobStore, type BlobStore } from '../../../shared/engine/blob-store.ts';
import type { SyncRequestMessage } from '../../../shared/engine/contracts.ts';

export const WEBHOOK_SECRET = 'edge-test-webhook-secret';

export interface EdgeAws {
  store: Store;
  blobs: BlobStore;
  sqs: SQSClient;
  queueUrl: string;
  /** Receives (and deletes) every message now in the queue, with its group and dedupe ids. */
  drainQueue(): Promise<Array<{ body: SyncRequestMessage; group: string; dedupe: string }>>;
  stop(): Promise<void>;
}

export async function startEdgeAws(): Promise<EdgeAws> {
  const dynamo = await testDynamo();
  const credentials = dynamo.credentials;
  await createTable(dynamo.endpoint, credentials);
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  const queues = createQueuesAndBucket(fauxqs);
  const secrets = await startSecretsManager([{ name: 'gitwave/webhook', value: WEBHOOK_SECRET }, { name: 'gitwave/git-tokens', value: '{}' }]);
  Object.assign(process.env, {
    AWS_REGION: LOCAL_NAMES.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
    AWS_ENDPOINT_URL_SQS: fauxqs.address,
    AWS_ENDPOINT_URL_S3: fauxqs.address,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    [ENV.TABLE_NAME]: LOCAL_NAMES.table,
    [ENV.BUCKET_NAME]: LOCAL_NAMES.bucket,
    [ENV.QUEUE_URL]: queues.queueUrl,
    [ENV.WEBHOOK_SECRET_ARN]: secrets.arnOf('gitwave/webhook'),
    [ENV.GIT_TOKEN_SECRET_ARN]: secrets.arnOf('gitwave/git-tokens'),
    [ENV.POWERTOOLS_TRACE_ENABLED]: 'false',
    [ENV.POWERTOOLS_METRICS_DISABLED]: 'true',
    [ENV.POWERTOOLS_LOG_LEVEL]: 'ERROR',
  });
  const client = dynamo.client();
  const sqs = new SQSClient({ endpoint: fauxqs.address, region: LOCAL_NAMES.region, credentials });
  const s3 = new S3Client({ endpoint: fauxqs.address, region: LOCAL_NAMES.region, credentials, forcePathStyle: true });
  return {
    store: createStore({ tableName: LOCAL_NAMES.table, client }),
    blobs: s3BlobStore(s3, LOCAL_NAMES.bucket),
    sqs,
    queueUrl: queues.queueUrl,
    drainQueue: () => drain(sqs, queues.queueUrl),
    stop: async () => {
      client.destroy();
      sqs.destroy();
      s3.destroy();
      await secrets.stop();
      await fauxqs.stop();
      await dynamo.stop();
    },
  };
}

async function drain(sqs: SQSClient, queueUrl: string) {
  const out: Array<{ body: SyncRequestMessage; group: string; dedupe: string }> = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
      QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['All'],
    }));
    if (Messages.length === 0) return out;
    for (const m of Messages) {
      out.push({ body: JSON.parse(m.Body!), group: m.Attributes!.MessageGroupId!, dedupe: m.Attributes!.MessageDeduplicationId! });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle! }));
    }
  }
}
