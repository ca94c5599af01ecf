/**
 * The request queue as the edges use it (webhook, api, drift): one port that sends sync requests,
 * and its SQS FIFO adapter (contracts.ts SyncRequestMessage). MessageGroupId is the Application, so
 * one app's requests are handled one at a time and a poison message blocks only its app
 * (SECURITY.md §4); MessageDeduplicationId is a hash of app + commit, so the same push, or a push and
 * the drift sweep that noticed the same commit, is queued once within SQS's five-minute window.
 */
import { createHash } from 'node:crypto';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SyncRequestMessage } from './contracts.ts';

/** A message and, when the commit alone does not say what makes it distinct, a dedupe key. */
export interface QueuedRequest {
  message: SyncRequestMessage;
  /** Default: the message's `sha` (or its `requestId`). */
  dedupeKey?: string;
}

export interface RequestQueue {
  send(requests: readonly QueuedRequest[]): Promise<void>;
}

/** Some requests were not accepted; the webhook answers 5xx and GitHub's redelivery retries. */
export class EnqueueError extends Error {
  override readonly name = 'EnqueueError';
}

/** SQS takes at most ten entries per batch. */
const BATCH = 10;

/**
 * The deduplication id of a request: SHA-256 of app and what makes the request distinct.
 * @example dedupeIdOf({ app: 'web', sha: 'abc…' }) === dedupeIdOf({ app: 'web', sha: 'abc…', deliveryId: 'other' }) // true
 */
export function dedupeIdOf(message: SyncRequestMessage, dedupeKey?: string): string {
  const distinct = dedupeKey ?? message.sha ?? message.requestId ?? `${message.trigger ?? 'drift'}:${message.ref ?? ''}`;
  return createHash('sha256').update(`${message.app}\n${distinct}`).digest('hex');
}

/**
 * The SQS FIFO adapter.
 * @example await sqsRequestQueue(new SQSClient({}), process.env.QUEUE_URL!).send([{ message: { app: 'web', sha } }]);
 */
export function sqsRequestQueue(client: SQSClient, queueUrl: string): RequestQueue {
  return {
    async send(requests) {
      for (let i = 0; i < requests.length; i += BATCH) {
        const chunk = requests.slice(i, i + BATCH);
        const answer = await client.send(new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: chunk.map((request, n) => ({
            Id: String(n),
            MessageBody: JSON.stringify(request.message),
            MessageGroupId: request.message.app,
            MessageDeduplicationId: dedupeIdOf(request.message, request.dedupeKey),
          })),
        }));
        const failed = answer.Failed ?? [];
        if (failed.length > 0) {
          const apps = failed.map((f) => chunk[Number(f.Id)]?.message.app).join(', ');
          throw new EnqueueError(`queue refused ${failed.length} request(s) for ${apps}: ${failed[0].Code ?? 'unknown error'}`);
        }
      }
    },
  };
}
