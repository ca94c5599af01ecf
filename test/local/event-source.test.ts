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

  it('runs batches of different message groups at once, never two of one group, and is idle only when all are done', async () => {
    const plain = fauxqs.createQueue('parallel.fifo', { attributes: { FifoQueue: 'true', VisibilityTimeout: '30' } });
    const running = new Set<string>();
    let most = 0;
    let sameGroupOverlap = false;
    const finished: string[] = [];
    const releases: Array<() => void> = [];
    const source = startEventSource({
      sqs, queueUrl: plain.queueUrl, queueArn: plain.queueArn, batchSize: 1, waitTimeSeconds: 0, concurrency: 3,
      handler: async (event: SQSEvent) => {
        const body = event.Records[0].body;
        const group = body.split('-')[0];
        if (running.has(group)) sameGroupOverlap = true;
        running.add(group);
        most = Math.max(most, running.size);
        // Each batch is held until the test lets it go, so overlaps are certain rather than timed.
        await new Promise<void>((resolve) => releases.push(resolve));
        running.delete(group);
        finished.push(body);
      },
    });
    for (const body of ['a-1', 'a-2', 'b-1', 'c-1']) {
      await sqs.send(new SendMessageCommand({ QueueUrl: plain.queueUrl, MessageBody: body, MessageGroupId: body.split('-')[0], MessageDeduplicationId: body }));
    }
    const deadline = Date.now() + 60_000; // a bound for a broken run only
    while (releases.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.equal(most, 3, 'a, b and c were handled at once');
    let finishedWhenIdle = -1;
    const idleNow = source.idle().then(() => { finishedWhenIdle = finished.length; });
    while (finished.length < 4 && Date.now() < deadline) {
      releases.splice(0).forEach((release) => release());
      await new Promise((r) => setTimeout(r, 20));
    }
    await idleNow;
    assert.equal(finishedWhenIdle, 4, 'idle while a batch was still running');
    await source.stop();
    assert.equal(sameGroupOverlap, false);
    assert.deepEqual(finished.filter((b) => b.startsWith('a-')), ['a-1', 'a-2']);
    assert.equal(finished.length, 4);
  });
});
