/**
 * The local stand-in for Lambda's SQS event source mapping: long-polls a queue, hands batches to the
 * same handler the stack deploys, deletes what succeeded and leaves the rest to come back after the
 * visibility timeout. Like Lambda's mapping for a FIFO queue, several batches run at once; the queue itself
 * keeps a message group's messages in order (a group with a message in flight is not delivered again
 * until that message is deleted or its visibility ends). Partial batch failures (`ReportBatchItemFailures`) are honoured; a thrown error
 * fails the whole batch. Redrive to the DLQ after maxReceiveCount is the queue's own RedrivePolicy.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent, context: unknown) => Promise<SQSBatchResponse | void>;

export interface EventSourceOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  handler: SqsHandler;
  /** Same as the stack's event source mapping. */
  batchSize: number;
  /** Batches handled at once (Lambda scales a FIFO mapping up to the active message groups). Default 1. */
  concurrency?: number;
  /** Long-poll wait; short in tests so stop() is quick. */
  waitTimeSeconds?: number;
  region?: string;
  onError?: (error: unknown) => void;
}

export interface RunningEventSource {
  stop(): Promise<void>;
  /** Resolves when a poll returns no message and no batch is in flight in any poller. */
  idle(): Promise<void>;
}

export function startEventSource(options: EventSourceOptions): RunningEventSource {
  const slots = Math.max(1, options.concurrency ?? 1);
  let running = true;
  let idleWaiters: Array<() => void> = [];
  let slotWaiter: (() => void) | undefined;
  const deliveries = new Set<Promise<void>>();
  // One receiver hands batches to up to `slots` deliveries: a batch received is in `deliveries` before the
  // next receive, so an empty receive with no delivery left really means idle.
  const loop = (async () => {
    while (running) {
      if (deliveries.size >= slots) {
        await new Promise<void>((resolve) => { slotWaiter = resolve; });
        continue;
      }
      try {
        const received = await options.sqs.send(new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: options.batchSize,
          WaitTimeSeconds: options.waitTimeSeconds ?? 1,
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }));
        const messages = received.Messages ?? [];
        if (messages.length === 0) {
          if (deliveries.size === 0) {
            idleWaiters.forEach((resolve) => resolve());
            idleWaiters = [];
          }
          continue;
        }
        const delivery: Promise<void> = deliver(messages, options)
          .catch((error: unknown) => options.onError?.(error))
          .finally(() => {
            deliveries.delete(delivery);
            slotWaiter?.();
            slotWaiter = undefined;
          });
        deliveries.add(delivery);
      } catch (error) {
        if (running) options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await Promise.all(deliveries);
    },
    idle: () => new Promise<void>((resolve) => idleWaiters.push(resolve)),
  };
}

async function deliver(messages: Message[], options: EventSourceOptions): Promise<void> {
  const event: SQSEvent = { Records: messages.map((m) => toRecord(m, options)) };
  let failedIds = new Set<string>();
  try {
    const response = await options.handler(event, {});
    failedIds = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
  } catch (error) {
    options.onError?.(error);
    return; // the whole batch becomes visible again after the visibility timeout
  }
  const done = messages.filter((m) => !failedIds.has(m.MessageId!));
  if (done.length === 0) return;
  await options.sqs.send(new DeleteMessageBatchCommand({
    QueueUrl: options.queueUrl,
    Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
  }));
}

function toRecord(message: Message, options: EventSourceOptions): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId!,
    receiptHandle: message.ReceiptHandle!,
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
      MessageGroupId: attributes.MessageGroupId,
      MessageDeduplicationId: attributes.MessageDeduplicationId,
      SequenceNumber: attributes.SequenceNumber,
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: options.queueArn,
    awsRegion: options.region ?? 'us-east-1',
  };
}
