// The CLI's API client sends a GET again when the connection is reset (a keep-alive socket the server
// closed as it was reused), and never a POST, which may have been handled before the reset.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiClient } from '../../cli/api-client.ts';

describe('the CLI API client on a reset connection', () => {
  const seen: string[] = [];
  let resets = 0;
  const server = createServer((req, res) => {
    seen.push(req.method!);
    if (resets > 0) {
      resets--;
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method }));
  });
  const ready = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('retries a GET whose connection was reset, and answers', async () => {
    const client = apiClient(await ready);
    seen.length = 0;
    resets = 2;
    assert.deepEqual(await client.get('/api/applications'), { method: 'GET' });
    assert.deepEqual(seen, ['GET', 'GET', 'GET']);
  });

  it('does not send a POST again: it says the API could not be reached', async () => {
    const endpoint = await ready;
    const client = apiClient(endpoint);
    seen.length = 0;
    resets = 1;
    await assert.rejects(client.post('/api/applications/x/sync', {}), new RegExp(`cannot reach the gitwave API at ${endpoint}`));
    assert.deepEqual(seen, ['POST']);
  });
});
