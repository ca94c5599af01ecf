/**
 * GitHub webhook signatures (SECURITY.md §3): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256>` over
 * the exact bytes GitHub sent, compared in constant time. The legacy SHA-1 header is ignored.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The `sha256=<hex>` header value GitHub would send for this body. */
export function signBody(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * True when `header` is the signature of `body` under `secret`. Never throws: a missing, malformed
 * or wrong-length header is simply not valid (timingSafeEqual throws on a length mismatch, so the
 * length is checked first; lengths are public anyway).
 */
export function verifySignature(secret: string, body: Uint8Array, header: string | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signBody(secret, body), 'utf8');
  const given = Buffer.from(header, 'utf8');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
