// The local SQS event source mapping against a real fauxqs FIFO queue with a DLQ: successes are
// deleted, partial batch failures come back, and a poison message ends in the DLQ after maxReceiveCount.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { SQSClient, SendMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { startFauxqs } from 'fauxqs';
import type { SQSEvent } from 'aws-lambda';
import { startEventSource } from '../../local/event-source.ts';

describe('local SQS event source', async () => {
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  after(() => fauxqs.stop());
  const sqs = new SQSClient({ endpoint: fauxqs.address, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const dlq = fauxqs.createQueue('requests-dlq.fifo', { attributes: { FifoQueue: 'true' } });
  const queue = fauxqs.createQueue('requests.fifo', {
    attributes: {
      FifoQueue: 'true',
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount: '2' }),
    },
  });

  async function send(body: string, group: string) {
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.queueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: body }));
  }

  it('§7 row 43: delivers, deletes successes, retries failures and redrives a poison message to the DLQ', async () => {
    const seen: string[] = [];
    const source = startEventSource({
      sqs, queueUrl: queue.queueUrl, queueArn: queue.queueArn, batchSize: 10, waitTimeSeconds: 0,
      handler: async (event: SQSEvent) => {
        seen.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'poison').map((r) => ({ itemIdentifier: r.messageId })) };
      },
    });
    await send('good-1', 'app-a');
    await send('poison', 'app-b');
    await send('good-2', 'app-c');
    const deadline = Date.now() + 60_000; // a bound for a broken run only: the loop ends as soon as the DLQ holds the message
    let inDlq = 0;
    while (Date.now() < deadline) {
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
      inDlq = Number(attrs.Attributes?.ApproximateNumberOfMessages ?? 0);
      if (inDlq > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await source.stop();
    assert.equal(inDlq, 1);
    assert.equal(seen.filter((b) => b === 'good-1').length, 1);
    assert.equal(seen.filter((b) => b === 'good-2').length, 1);
    assert.ok(seen.filter((b) => b === 'poison').length >= 2, `poison seen ${seen.filter((b) => b === 'poison').length} times`);
    const left = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.queueUrl, MaxNumberOfMessages: 10 }));
    assert.deepEqual(left.Messages?.map((m) => m.Body), ['poison']);
  });
});
