/**
 * One GitHub delivery, handled in the order of SECURITY.md §3: size → headers → HMAC over the raw
 * bytes → depth-limited parse → look up Applications by repository and exact ref → enqueue →
 * record the delivery id → 202. The delivery id is recorded only after the enqueue succeeded, so a
 * delivery that failed before it can be redelivered; a crash between the two is absorbed by FIFO
 * deduplication (app + sha) and the execution name.
 */
import { verifySignature } from './signature.ts';
import { parseJsonWithDepthLimit, JsonTooDeepError } from './json.ts';
import { readPushEvent, PayloadError } from './push.ts';

/** A request to sync one Application at one commit, as put on the queue. */
export interface SyncRequest {
  app: string;
  sha: string;
  ref: string;
  deliveryId: string;
}

/** What the webhook needs from the outside world. */
export interface WebhookPorts {
  webhookSecret(): Promise<string>;
  /** Applications whose repoURL normalises to one of `repositoryKeys` and whose targetRevision resolves to exactly `ref`. */
  findApplications(repositoryKeys: string[], ref: string): Promise<Array<{ name: string }>>;
  isDuplicateDelivery(deliveryId: string): Promise<boolean>;
  enqueue(requests: SyncRequest[]): Promise<void>;
  recordDelivery(deliveryId: string): Promise<void>;
}

export interface Delivery {
  headers: Record<string, string | undefined>;
  body: Uint8Array;
}

export interface WebhookAnswer {
  statusCode: number;
  body: Record<string, unknown>;
}

/** The largest body accepted (GitHub sends up to 25 MB; drift catches up with what is refused). */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * GitHub's delivery ids are GUIDs. The id becomes a DynamoDB key and part of an SQS message, both of
 * which refuse some characters and sizes: an unchecked id would turn a signed delivery into a 500.
 */
const MAX_DELIVERY_ID_BYTES = 1024;
const PRINTABLE_BMP = /^[\u0020-\ud7ff\ue000-\ufffd]+$/;

function isUsableDeliveryId(id: string): boolean {
  return Buffer.byteLength(id) <= MAX_DELIVERY_ID_BYTES && PRINTABLE_BMP.test(id);
}

export async function handleDelivery(delivery: Delivery, ports: WebhookPorts, maxBodyBytes = DEFAULT_MAX_BODY_BYTES): Promise<WebhookAnswer> {
  if (delivery.body.byteLength > maxBodyBytes) return answer(413, `body larger than ${maxBodyBytes} bytes`);
  const headers = lowerCaseKeys(delivery.headers);
  const event = headers['x-github-event'];
  const deliveryId = headers['x-github-delivery'];
  if (!event || !deliveryId) return answer(400, 'missing X-GitHub-Event or X-GitHub-Delivery header');
  if (!isUsableDeliveryId(deliveryId)) return answer(400, `X-GitHub-Delivery must be at most ${MAX_DELIVERY_ID_BYTES} bytes of printable characters`);
  if (!verifySignature(await ports.webhookSecret(), delivery.body, headers['x-hub-signature-256'])) {
    return answer(401, 'missing or invalid X-Hub-Signature-256');
  }
  let payload: unknown;
  try {
    payload = parseJsonWithDepthLimit(Buffer.from(delivery.body).toString('utf8'));
  } catch (error) {
    return answer(400, error instanceof JsonTooDeepError ? error.message : 'body is not valid json');
  }
  if (event === 'ping') return answer(200, 'pong');
  if (event !== 'push') return answer(204, `event ${event} ignored`);
  return handlePush(payload, deliveryId, ports);
}

async function handlePush(payload: unknown, deliveryId: string, ports: WebhookPorts): Promise<WebhookAnswer> {
  let push;
  try {
    push = readPushEvent(payload);
  } catch (error) {
    if (error instanceof PayloadError) return answer(400, error.message);
    throw error;
  }
  if (push.deleted) return answer(200, `source ref deleted: ${push.ref}; nothing rendered or pruned`);
  const apps = await ports.findApplications(push.repositoryKeys, push.ref);
  if (apps.length === 0) return answer(204, 'no registered application tracks this repository and ref');
  if (await ports.isDuplicateDelivery(deliveryId)) return answer(200, 'duplicate delivery', { duplicate: true });
  await ports.enqueue(apps.map((app) => ({ app: app.name, sha: push.sha, ref: push.ref, deliveryId })));
  await ports.recordDelivery(deliveryId);
  return answer(202, 'queued', { applications: apps.map((a) => a.name), sha: push.sha });
}

function answer(statusCode: number, message: string, extra: Record<string, unknown> = {}): WebhookAnswer {
  return { statusCode, body: { message, ...extra } };
}

function lowerCaseKeys(headers: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
