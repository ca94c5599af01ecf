// The dashboard as the stack deploys it (a /config.json naming an OIDC issuer and /ui/api), in real
// Chromium: a deep link sends the person to the issuer's sign-in with a PKCE challenge, comes back
// with a code, trades it (with the verifier) for a token, lands on the deep link again, and every API
// call carries the token. The issuer is a small stand-in speaking OpenID Connect's wire format
// (discovery, authorize redirect, token endpoint); the files are web/dist as CloudFront serves them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { dashboardFallback } from '../../local/dashboard.ts';
import { launchChromium, missingChromium, screenshot } from './browser.ts';

const skip = missingChromium();
const EMPTY_PAGE = { items: [], total: 0, page: 1, pageSize: 50, counts: { sync: {}, health: {}, cluster: {}, project: {}, labels: {} } };

describe('dashboard sign-in (OIDC, code + PKCE)', { skip }, () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  const seen = { challenge: '', verifier: '', apiAuthorization: [] as string[], authorizeQuery: new URLSearchParams() };

  before(async () => {
    const files = await dashboardFallback();
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', base);
      const json = (value: unknown) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(value)); };
      if (url.pathname === '/config.json') return json({ apiBase: '/ui/api', auth: { issuer: `${base}/issuer/`, clientId: 'gitwave-dashboard', scopes: 'openid email' } });
      if (url.pathname === '/issuer/.well-known/openid-configuration') return json({ issuer: `${base}/issuer/`, authorization_endpoint: `${base}/issuer/authorize`, token_endpoint: `${base}/issuer/token` });
      if (url.pathname === '/issuer/authorize') {
        seen.authorizeQuery = url.searchParams;
        seen.challenge = url.searchParams.get('code_challenge') ?? '';
        res.writeHead(302, { location: `${url.searchParams.get('redirect_uri')}?code=code-1&state=${url.searchParams.get('state')}` });
        return res.end();
      }
      if (url.pathname === '/issuer/token') {
        let body = '';
        req.on('data', (c: Buffer) => { body += c.toString(); });
        req.on('end', () => {
          const form = new URLSearchParams(body);
          seen.verifier = form.get('code_verifier') ?? '';
          const ok = form.get('code') === 'code-1' && form.get('grant_type') === 'authorization_code' && form.get('client_id') === 'gitwave-dashboard';
          if (!ok) { res.writeHead(400); res.end(); return; }
          json({ id_token: 'id-token-1', token_type: 'Bearer', expires_in: 3600 });
        });
        return;
      }
      if (url.pathname.startsWith('/ui/api/')) {
        seen.apiAuthorization.push(String(req.headers.authorization ?? ''));
        return json(EMPTY_PAGE);
      }
      files(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('signs in with a PKCE code, returns to the deep link, and sends the token to /ui/api', async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/apps?q=orders`);
    await page.locator('.total', { hasText: '0 applications' }).waitFor();
    assert.equal(page.url(), `${base}/apps?q=orders`, 'back on the deep link, without the code');
    assert.equal(seen.authorizeQuery.get('code_challenge_method'), 'S256');
    assert.equal(seen.authorizeQuery.get('redirect_uri'), `${base}/`);
    assert.equal(createHash('sha256').update(seen.verifier).digest('base64url'), seen.challenge, 'the verifier matches the challenge');
    assert.ok(seen.apiAuthorization.length > 0);
    assert.ok(seen.apiAuthorization.every((h) => h === 'Bearer id-token-1'), seen.apiAuthorization.join(', '));
    await screenshot(page, 'signed-in-list');
    await page.close();
  });
});
