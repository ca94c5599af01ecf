/**
 * The webhook core's ports (shared/webhook WebhookPorts) on the real services: the secret from
 * Secrets Manager, Applications from the registry, the FIFO queue, deliveries in the table.
 *
 * One addition to the exact-ref lookup: Applications that follow `HEAD` follow the repository's
 * default branch, so a push to that branch (the payload's `repository.default_branch`, or
 * `master_branch` in older payloads) concerns them too. The payload is only read for this once the
 * signature has been verified and the body parsed (the lookup runs after both, SECURITY.md §3).
 */
import type { DeliveryStore, RegistryStore } from '../store/ports.ts';
import type { WebhookPorts } from '../webhook/delivery.ts';
import { parseJsonWithDepthLimit } from '../webhook/json.ts';
import type { RequestQueue } from './request-queue.ts';

export interface WebhookDeps {
  store: Pick<RegistryStore, 'findApplications'> & DeliveryStore;
  queue: RequestQueue;
  webhookSecret: () => Promise<string>;
}

/**
 * The ports for one delivery whose raw body is `body`.
 * @example await handleDelivery({ headers, body }, webhookPorts({ store, queue, webhookSecret }, body))
 */
export function webhookPorts(deps: WebhookDeps, body: Uint8Array): WebhookPorts {
  return {
    webhookSecret: deps.webhookSecret,
    findApplications: async (repositoryKeys, ref) => {
      const exact = await deps.store.findApplications(repositoryKeys, ref);
      const branch = defaultBranchOf(body);
      if (branch === undefined || ref !== `refs/heads/${branch}`) return exact;
      const head = await deps.store.findApplications(repositoryKeys, 'HEAD');
      return [...new Set([...exact, ...head].map((a) => a.name))].sort().map((name) => ({ name }));
    },
    isDuplicateDelivery: (deliveryId) => deps.store.isDuplicateDelivery(deliveryId),
    enqueue: (requests) => deps.queue.send(requests.map(({ app, sha, ref, deliveryId }) => ({
      message: { app, sha, ref, deliveryId, trigger: 'webhook' as const },
    }))),
    recordDelivery: async (deliveryId) => {
      await deps.store.recordDelivery(deliveryId, { event: 'push' });
    },
  };
}

/** The default branch a verified push payload names, if it names a plausible one. */
export function defaultBranchOf(body: Uint8Array): string | undefined {
  let payload: unknown;
  try {
    payload = parseJsonWithDepthLimit(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
  const repository = (payload as { repository?: Record<string, unknown> } | null)?.repository;
  const branch = repository?.default_branch ?? repository?.master_branch;
  return typeof branch === 'string' && /^[^\s~^:?*[\\]{1,255}$/.test(branch) && !branch.startsWith('-') ? branch : undefined;
}
