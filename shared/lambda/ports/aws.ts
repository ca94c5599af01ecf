/**
 * The AWS-backed engine ports a function may ask `engineDeps` for, one small module each so a
 * bundle holds only the SDK clients its function uses (the lock λ carries no S3, SNS or Step
 * Functions client). Each factory reads its variables when first called, never at import.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { ENV, optionalEnv, requiredEnv } from '../../config/env.ts';
import type { BlobStore } from '../../engine/blob-store.ts';
import { s3HttpBlobStore } from './aws-s3-blobs.ts';
import { sfnExecutions, type Executions } from '../../engine/executions.ts';
import { snsNotifier, type Notifier } from '../../engine/notifier.ts';
import { sqsRequestQueue, type RequestQueue } from '../../engine/request-queue.ts';

/** The artifact bucket named by `BUCKET_NAME` (GetObject and PutObject signed by hand: no S3 client, aws-s3-blobs.ts). */
export const s3Blobs = (): BlobStore => s3HttpBlobStore(requiredEnv(ENV.BUCKET_NAME));

/** Starts the cluster writer state machine named by `WRITER_STATE_MACHINE_ARN` (it runs each sync as a child). */
export const sfnStarter = (): Executions => sfnExecutions(new SFNClient({}), requiredEnv(ENV.WRITER_STATE_MACHINE_ARN));

/** Sync notifications on `TOPIC_ARN`, or none when the variable is empty. */
export const snsTopic = (): Notifier | undefined => {
  const topic = optionalEnv(ENV.TOPIC_ARN);
  return topic ? snsNotifier(new SNSClient({}), topic) : undefined;
};

/**
 * The request queue named by `QUEUE_URL`, for the apply-wave λ: a parent Application that registers a
 * child asks for the child's first render at once (docs/app-of-apps.md) instead of leaving it to the
 * drift sweep. The endpoint comes from the region (or AWS_ENDPOINT_URL_SQS), as in edge-deps.ts.
 */
export const sqsQueue = (): RequestQueue => sqsRequestQueue(new SQSClient({ useQueueUrlAsEndpoint: false }), requiredEnv(ENV.QUEUE_URL));
