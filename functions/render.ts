/**
 * render λ: consumes the FIFO request queue (batch size 1, ReportBatchItemFailures). Each message is
 * one SyncRequestMessage, rendered by shared/engine/render-request.ts and handed to the plan λ.
 * Refused input (source unavailable, malformed manifests) is recorded as status and the message is
 * done; a transient failure reports this message and every later one as failed, since a FIFO group
 * must stop at its first failure to keep its order (SECURITY.md §4).
 */
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SyncRequestMessage } from '../shared/engine/contracts.ts';
import { middifyEvent, powertools } from '../shared/lambda/middify.ts';
import { engineDeps } from '../shared/lambda/runtime.ts';
import { s3Blobs } from '../shared/lambda/ports/aws.ts';
import { planFunction, rendererFromEnv, schemasFromEnv, sourceFromEnv } from '../shared/lambda/ports/edge.ts';
import { edgeDeps } from '../shared/engine/edge-deps.ts';
import { runRenderRequest, type RenderStepDeps } from '../shared/engine/render-request.ts';
import { dynamoRequestStore } from '../shared/engine/requests.ts';
import { ENV, requiredEnv } from '../shared/config/env.ts';

export const handler = middifyEvent(async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { logger } = powertools();
  const records = event.Records ?? [];
  for (const [index, record] of records.entries()) {
    try {
      await handleRecord(record);
    } catch (error) {
      logger.error('render failed; the message will be retried', { messageId: record.messageId, error: error as Error });
      return { batchItemFailures: records.slice(index).map((r): SQSBatchItemFailure => ({ itemIdentifier: r.messageId })) };
    }
  }
  return { batchItemFailures: [] };
});

async function handleRecord(record: SQSRecord): Promise<void> {
  const { logger } = powertools();
  const message = parseMessage(record.body);
  if (!message) {
    logger.error('malformed request message dropped', { messageId: record.messageId });
    return;
  }
  const result = await runRenderRequest(renderDeps(), message);
  logger.info('render request handled', { app: message.app, messageId: record.messageId, ...result });
}

/** A queue message names an app (and hints); anything else is not ours to act on. */
function parseMessage(body: string): SyncRequestMessage | undefined {
  try {
    const value = JSON.parse(body) as SyncRequestMessage;
    return typeof value?.app === 'string' && value.app !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

function renderDeps(): RenderStepDeps {
  const engine = engineDeps({ blobs: s3Blobs });
  const edge = edgeDeps({ source: sourceFromEnv, renderer: rendererFromEnv, planner: planFunction, schemas: schemasFromEnv });
  return {
    store: engine.store,
    blobs: engine.blobs,
    requests: engine.requests ?? dynamoRequestStore({ tableName: requiredEnv(ENV.TABLE_NAME) }),
    source: edge.source,
    renderer: edge.renderer,
    planner: edge.planner,
    schemas: edge.schemas,
    ...(engine.now ? { now: engine.now } : {}),
    ...(engine.log ? { log: engine.log } : {}),
  };
}
