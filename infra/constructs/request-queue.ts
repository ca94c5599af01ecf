/**
 * The FIFO request queue between the webhook (and drift, and the API) and the render function, with
 * its FIFO dead-letter queue. One message group per Application, so a poison message blocks only its
 * own Application until it moves to the DLQ after `maxReceiveCount` tries (SECURITY.md §4).
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { REQUEST_QUEUE } from '../../shared/config/resources.ts';
import { FUNCTION_SETTINGS } from '../../shared/lambda/functions.ts';
import { justify } from '../nag.ts';
import type { GitwaveFunction } from './gitwave-function.ts';

export class RequestQueue extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      queueName: REQUEST_QUEUE.deadLetterQueueName,
      fifo: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.seconds(REQUEST_QUEUE.deadLetterRetentionSeconds),
    });
    justify(this.deadLetterQueue, { id: 'AwsSolutions-SQS3', reason: 'this is the dead-letter queue of the request queue' });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: REQUEST_QUEUE.queueName,
      fifo: true,
      // Dedupe ids are set by the sender (hash of app + sha); the body holds more than that.
      contentBasedDeduplication: false,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(REQUEST_QUEUE.visibilityTimeoutSeconds),
      retentionPeriod: Duration.seconds(REQUEST_QUEUE.retentionSeconds),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: REQUEST_QUEUE.maxReceiveCount },
    });
  }

  /** Makes `fn` the queue's consumer, reporting partial batch failures. */
  addConsumer(fn: GitwaveFunction): void {
    const timeout = FUNCTION_SETTINGS[fn.key].timeoutSeconds;
    if (REQUEST_QUEUE.visibilityTimeoutSeconds < 6 * timeout) {
      throw new Error(`request queue: visibility timeout must be at least 6x the ${fn.key} function's timeout`);
    }
    fn.function.addEventSource(new SqsEventSource(this.queue, {
      batchSize: REQUEST_QUEUE.batchSize,
      reportBatchItemFailures: true,
    }));
  }

  /** SendMessage only (no receive, no delete, no attributes). */
  grantSend(fn: GitwaveFunction): void {
    fn.grant(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
  }
}
