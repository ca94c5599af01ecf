// The local API Gateway: requests become payload-format-2.0 events with the raw body, and results
// become HTTP responses.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { startGateway, matchRoute, type Route } from '../../local/gateway.ts';

describe('local gateway', async () => {
  const seen: APIGatewayProxyEventV2[] = [];
  const gateway = await startGateway({
    maxBodyBytes: 1000,
    routes: [
      { method: 'POST', path: '/webhooks/github', handler: async (e) => (seen.push(e), { statusCode: 202, body: JSON.stringify({ ok: true }) }) },
      { method: 'GET', path: '/api/apps/{name}', handler: async (e) => ({ name: e.pathParameters?.name, q: e.queryStringParameters }) },
    ],
  });
  after(() => gateway.stop());

  it('passes a json body as is and keeps header values', async () => {
    const raw = '{"a":  1}';
    const res = await fetch(`${gateway.url}/webhooks/github`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', 'X-GitHub-Event': 'push' } });
    assert.equal(res.status, 202);
    const event = seen.at(-1)!;
    assert.equal(event.body, raw);
    assert.equal(event.isBase64Encoded, false);
    assert.equal(event.headers['x-github-event'], 'push');
    assert.equal(event.routeKey, 'POST /webhooks/github');
    assert.equal(event.requestContext.http.method, 'POST');
  });

  it('base64-encodes a binary body', async () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    await fetch(`${gateway.url}/webhooks/github`, { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    const event = seen.at(-1)!;
    assert.equal(event.isBase64Encoded, true);
    assert.deepEqual(Buffer.from(event.body!, 'base64'), bytes);
  });

  it('fills path and query parameters and shapes a bare result as 200 json', async () => {
    const res = await fetch(`${gateway.url}/api/apps/guestbook-dev?o=json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { name: 'guestbook-dev', q: { o: 'json' } });
  });

  it('answers 404 for an unknown route and 413 over the body cap', async () => {
    assert.equal((await fetch(`${gateway.url}/nope`)).status, 404);
    const big = await fetch(`${gateway.url}/webhooks/github`, { method: 'POST', body: 'x'.repeat(2000) });
    assert.equal(big.status, 413);
  });

  it('matches greedy proxy paths', () => {
    const routes: Route[] = [{ method: 'ANY', path: '/api/{proxy+}', handler: async () => ({}) }];
    assert.deepEqual(matchRoute(routes, 'GET', '/api/apps/x/history')?.pathParameters, { proxy: 'apps/x/history' });
    assert.equal(matchRoute(routes, 'GET', '/other'), undefined);
  });
});
