/**
 * Where the API is and who the person is. Locally there is no `/config.json` (the local gateway
 * answers index.html instead): the API is `/api` and nobody signs in. In AWS the stack deploys
 * `/config.json` (infra/constructs/dashboard.ts): the API is `/ui/api`, and people sign in with
 * OpenID Connect, authorization code + PKCE, against Cognito or the issuer given at deploy time. The
 * ID token is kept in sessionStorage (gone with the tab) and sent as a bearer token.
 */
export interface SiteConfig {
  apiBase: string;
  auth?: { issuer: string; clientId: string; authorizeUrl?: string; tokenUrl?: string; scopes: string };
}

const LOCAL: SiteConfig = { apiBase: '/api' };
const TOKEN = 'gitwave.token';
const PENDING = 'gitwave.signin';

let config: SiteConfig = LOCAL;

export const apiBase = () => config.apiBase;

/** Reads `/config.json`; anything but a JSON answer means the local runtime. */
export async function loadConfig(): Promise<SiteConfig> {
  try {
    const res = await fetch('/config.json', { headers: { accept: 'application/json' } });
    if (res.ok && (res.headers.get('content-type') ?? '').includes('json')) config = (await res.json()) as SiteConfig;
  } catch {
    config = LOCAL;
  }
  return config;
}

/** The bearer token to send, if signed in and not expired. */
export function token(): string | undefined {
  const kept = JSON.parse(sessionStorage.getItem(TOKEN) ?? 'null') as { idToken: string; expiresAt: number } | null;
  return kept && kept.expiresAt > Date.now() ? kept.idToken : undefined;
}

/**
 * Signs in when the site asks for it: finishes a sign-in coming back with `?code=`, or leaves for the
 * issuer's sign-in page. Resolves to true when the page may render (signed in, or no sign-in needed).
 */
export async function ensureSignedIn(): Promise<boolean> {
  const auth = config.auth;
  if (!auth || token()) return true;
  const params = new URLSearchParams(location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null') as { state: string; verifier: string; back: string } | null;
  const endpoints = await endpointsOf(auth);
  if (params.get('code') && pending && params.get('state') === pending.state) {
    sessionStorage.removeItem(PENDING);
    const res = await fetch(endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code')!, redirect_uri: redirectUri(), client_id: auth.clientId, code_verifier: pending.verifier }),
    });
    if (!res.ok) throw new Error(`sign-in failed: the token endpoint answered ${res.status}`);
    const tokens = (await res.json()) as { id_token: string; expires_in?: number };
    sessionStorage.setItem(TOKEN, JSON.stringify({ idToken: tokens.id_token, expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000 - 30_000 }));
    history.replaceState(null, '', pending.back);
    return true;
  }
  await signIn(auth.clientId, auth.scopes, endpoints.authorize);
  return false;
}

/** Forgets the token (the API said 401) and signs in again, coming back to this page. */
export function signInAgain(): void {
  sessionStorage.removeItem(TOKEN);
  void ensureSignedIn();
}

async function signIn(clientId: string, scopes: string, authorize: string): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, back: location.pathname + location.search }));
  const query = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri(), scope: scopes, state, code_challenge: challenge, code_challenge_method: 'S256',
  });
  location.assign(`${authorize}?${query}`);
}

/** The endpoints given, or those the issuer publishes (OpenID Connect discovery). */
async function endpointsOf(auth: NonNullable<SiteConfig['auth']>): Promise<{ authorize: string; token: string }> {
  if (auth.authorizeUrl && auth.tokenUrl) return { authorize: auth.authorizeUrl, token: auth.tokenUrl };
  const res = await fetch(`${auth.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
  if (!res.ok) throw new Error(`sign-in: ${auth.issuer} publishes no OpenID configuration (${res.status})`);
  const discovered = (await res.json()) as { authorization_endpoint: string; token_endpoint: string };
  return { authorize: discovered.authorization_endpoint, token: discovered.token_endpoint };
}

const redirectUri = () => `${location.origin}/`;

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
