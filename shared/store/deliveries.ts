/**
 * Webhook deliveries already handled, by `X-GitHub-Delivery` id, kept 7 days (TTL). The webhook
 * checks before enqueueing and records only after the enqueue succeeded (SECURITY.md §3), so a
 * delivery that failed halfway can be redelivered. TTL deletion lags up to 48 hours, so an expired
 * record is treated as absent rather than trusted.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { conditionalWrite, type StoreContext } from './context.ts';
import type { DeliveryStore } from './ports.ts';
import { keys } from './schema.ts';

export const DELIVERY_TTL_SECONDS = 7 * 24 * 3600;

export function dynamoDeliveryStore(ctx: StoreContext): DeliveryStore {
  const nowSeconds = () => Math.floor(ctx.now() / 1000);
  return {
    isDuplicateDelivery: async (deliveryId) => {
      const { Item } = await ctx.doc.send(new GetCommand({ TableName: ctx.table, Key: keys.delivery(deliveryId), ConsistentRead: true }));
      return Item !== undefined && Number(Item.ttl) > nowSeconds();
    },
    recordDelivery: async (deliveryId, info = {}) => {
      const now = nowSeconds();
      return conditionalWrite(ctx.doc.send(new PutCommand({
        TableName: ctx.table,
        Item: { ...keys.delivery(deliveryId), ...info, receivedAt: new Date(ctx.now()).toISOString(), ttl: now + DELIVERY_TTL_SECONDS },
        ConditionExpression: 'attribute_not_exists(pk) OR #ttl <= :now',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':now': now },
      })));
    },
  };
}
