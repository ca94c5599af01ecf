/**
 * webhook λ: POST /webhooks/github. Decodes the API Gateway v2 body (base64 when `isBase64Encoded`)
 * into the exact bytes GitHub signed and hands them to the webhook core (shared/webhook, the order of
 * SECURITY.md §3) with the real ports; counts refused signatures as a metric (row 1).
 */
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { handleDelivery, type WebhookAnswer } from '../shared/webhook/delivery.ts';
import { webhookPorts } from '../shared/engine/webhook-ports.ts';
import { edgeDeps } from '../shared/engine/edge-deps.ts';
import { middifyHttp, powertools, type HttpEvent, type HttpResult } from '../shared/lambda/middify.ts';
import { stateStore } from '../shared/lambda/runtime.ts';

export const handler = middifyHttp(async (event: HttpEvent): Promise<HttpResult> => {
  const edge = edgeDeps();
  const answer = oversized(event, edge.maxBodyBytes) ?? await handleDelivery(
    { headers: event.headers ?? {}, body: rawBody(event) },
    webhookPorts({ store: stateStore(), queue: edge.queue, webhookSecret: edge.webhookSecret }, rawBody(event)),
    edge.maxBodyBytes,
  );
  const { logger, metrics } = powertools();
  if (answer.statusCode === 401) metrics.addMetric('WebhookSignatureRefused', MetricUnit.Count, 1);
  logger.info('webhook delivery', { statusCode: answer.statusCode, deliveryId: event.headers?.['x-github-delivery'], event: event.headers?.['x-github-event'] });
  return { statusCode: answer.statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer.body) };
});

const decoded = new WeakMap<HttpEvent, Buffer>();

/** The bytes GitHub sent: never re-serialised, decoded once per event. */
function rawBody(event: HttpEvent): Buffer {
  let body = decoded.get(event);
  if (!body) {
    body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    decoded.set(event, body);
  }
  return body;
}

/** A 413 from the encoded length alone, so a huge base64 body is refused before it is decoded. */
function oversized(event: HttpEvent, maxBodyBytes: number): WebhookAnswer | undefined {
  const text = event.body ?? '';
  const size = event.isBase64Encoded ? Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0) : text.length;
  return size > maxBodyBytes ? { statusCode: 413, body: { message: `body larger than ${maxBodyBytes} bytes` } } : undefined;
}
