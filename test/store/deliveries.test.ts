// Webhook delivery dedupe: a conditional put, kept 7 days; an expired record no longer counts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DELIVERY_TTL_SECONDS, keys } from '../../shared/store/index.ts';
import { useDynamo } from './helpers.ts';

const fixture = useDynamo();
const ID = '72d3162e-cc78-11e3-81ab-4c9367dc0958';

describe('webhook deliveries', () => {
  it('records a delivery once; the second is a duplicate', async () => {
    const { store } = await fixture();
    assert.equal(await store.isDuplicateDelivery(ID), false);
    assert.equal(await store.recordDelivery(ID, { event: 'push', repository: 'github.com/acme/web', ref: 'refs/heads/main' }), true);
    assert.equal(await store.isDuplicateDelivery(ID), true);
    assert.equal(await store.recordDelivery(ID), false);
    assert.equal(await store.isDuplicateDelivery('another-id'), false);
  });

  it('sets the TTL 7 days ahead and treats a lapsed record as absent', async () => {
    const { store, client, clock, tableName } = await fixture();
    await store.recordDelivery(ID);
    const { Item } = await client.send(new GetItemCommand({
      TableName: tableName, Key: { pk: { S: keys.delivery(ID).pk }, sk: { S: keys.delivery(ID).sk } }, ConsistentRead: true,
    }));
    assert.equal(Number(Item?.ttl.N), Math.floor(clock.t / 1000) + DELIVERY_TTL_SECONDS);
    clock.t += (DELIVERY_TTL_SECONDS + 1) * 1000;
    assert.equal(await store.isDuplicateDelivery(ID), false);
    assert.equal(await store.recordDelivery(ID), true);
  });
});
