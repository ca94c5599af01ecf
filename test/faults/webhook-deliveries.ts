// Generated GitHub deliveries for the webhook fuzz (test/faults/webhook-fuzz.test.ts): a pure
// description drawn by fast-check, and the API Gateway v2 event it becomes, with what the sender knows
// about it (was it signed with the right secret over the bytes the handler receives?). The salt keeps
// each property run's delivery ids and commits apart, so runs do not see each other's deliveries.
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { signBody } from '../../shared/webhook/signature.ts';
import { httpEvent } from '../edge/helpers/events.ts';

export const FOLLOWED = 'https://github.com/acme/platform.git';
export const FOLLOWED_TAG_REPO = 'https://github.com/acme/tags.git';
/** Applications registered by the fuzz: ref → the apps a push to it selects (default branch `main`). */
export const FOLLOWED_REFS: Record<string, string[]> = { 'refs/heads/main': ['fuzz-head', 'fuzz-main'], 'refs/heads/dev': ['fuzz-dev'] };
export const FOLLOWED_TAG: { ref: string; apps: string[] } = { ref: 'refs/tags/v1', apps: ['fuzz-tag'] };

const BODY = ['push-followed', 'push-followed', 'push-followed', 'push-followed-tag', 'push-followed-tag', 'push-unfollowed', 'push-attacker-host', 'push-deleted', 'push-wrong-types',
  'push-missing-fields', 'json-random', 'json-deep', 'json-invalid', 'binary', 'empty', 'sized'] as const;
const SIGNATURE = ['valid', 'valid', 'valid', 'valid', 'valid', 'valid', 'missing', 'sha1-only', 'forged', 'flipped', 'wrong-secret', 'uppercase-hex',
  'padded', 'duplicate', 'sha1-prefix'] as const;
const ENCODING = ['utf8', 'utf8', 'utf8', 'base64', 'base64', 'latin1-base64', 'latin1-text', 'bom', 'base64-corrupt'] as const;
const HEADER_CASE = ['lower', 'title', 'upper'] as const;
const EVENT = ['push', 'push', 'push', 'push', 'push', 'ping', 'star', 'Push', 'push,push', '', undefined] as const;
const DELIVERY_ID = ['fresh', 'fresh', 'fresh', 'fresh', 'fresh', 'repeat', 'missing', 'empty', 'long', 'unicode'] as const;

export interface DeliverySpec {
  body: typeof BODY[number];
  signature: typeof SIGNATURE[number];
  encoding: typeof ENCODING[number];
  headerCase: typeof HEADER_CASE[number];
  event: typeof EVENT[number];
  deliveryId: typeof DELIVERY_ID[number];
  /** Drives the variable parts: random JSON, binary bytes, nesting depth, the size offset around the cap. */
  json: unknown;
  bytes: Uint8Array;
  depth: number;
  sizeOffset: number;
  repeat: number;
}

export const deliverySpec: fc.Arbitrary<DeliverySpec> = fc.record({
  body: fc.constantFrom(...BODY),
  signature: fc.constantFrom(...SIGNATURE),
  encoding: fc.constantFrom(...ENCODING),
  headerCase: fc.constantFrom(...HEADER_CASE),
  event: fc.constantFrom(...EVENT),
  deliveryId: fc.constantFrom(...DELIVERY_ID),
  json: fc.jsonValue({ maxDepth: 4 }),
  bytes: fc.uint8Array({ maxLength: 300 }),
  depth: fc.integer({ min: 1, max: 6000 }),
  sizeOffset: fc.integer({ min: -3, max: 3 }),
  repeat: fc.nat(2),
});

export interface BuiltDelivery {
  event: APIGatewayProxyEventV2;
  deliveryId: string | undefined;
  /** The signature header is the right secret's HMAC over exactly the bytes the handler decodes. */
  validlySigned: boolean;
  /** The apps a fresh, validly signed copy must queue (a well-formed push to a followed repository and ref). */
  selects: string[];
  /** Decoded size, for the 413 check (undefined when the transport mangles the bytes). */
  size: number;
}

/** The 40-hex commit of delivery `index` of run `salt`: unique, so FIFO deduplication never merges two. */
function commitOf(salt: string, index: number): string {
  return createHash('sha1').update(`${salt}/${index}`).digest('hex');
}

function pushPayload(repo: string, ref: string, after: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ref, before: '0'.repeat(40), after, repository: { clone_url: repo, html_url: repo.replace(/\.git$/, ''), full_name: 'acme/x', default_branch: 'main' }, pusher: { name: 'Ünïcødé ✓' }, ...extra };
}

function bodyText(spec: DeliverySpec, salt: string, index: number, cap: number): { text?: string; bytes?: Uint8Array; selects: string[] } {
  const sha = commitOf(salt, index);
  const refs = Object.keys(FOLLOWED_REFS);
  const ref = refs[index % refs.length];
  switch (spec.body) {
    case 'push-followed': return { text: JSON.stringify(pushPayload(FOLLOWED, ref, sha)), selects: FOLLOWED_REFS[ref] };
    case 'push-followed-tag': return { text: JSON.stringify(pushPayload(FOLLOWED_TAG_REPO, FOLLOWED_TAG.ref, sha)), selects: FOLLOWED_TAG.apps };
    case 'push-unfollowed': return { text: JSON.stringify(pushPayload('https://github.com/nobody/else.git', ref, sha)), selects: [] };
    case 'push-attacker-host': return { text: JSON.stringify(pushPayload('https://evil.example/acme/platform.git', ref, sha)), selects: [] };
    case 'push-deleted': return { text: JSON.stringify(pushPayload(FOLLOWED, ref, '0'.repeat(40), { deleted: true })), selects: [] };
    case 'push-wrong-types': return { text: JSON.stringify({ ...pushPayload(FOLLOWED, ref, sha), ...wrongTypes(index, spec.json) }), selects: [] };
    case 'push-missing-fields': {
      const payload = pushPayload(FOLLOWED, ref, sha);
      delete payload[['ref', 'after', 'repository'][index % 3]];
      return { text: JSON.stringify(payload), selects: [] };
    }
    case 'json-random': return { text: JSON.stringify(spec.json) ?? 'null', selects: [] };
    case 'json-deep': return { text: '['.repeat(spec.depth) + ']'.repeat(spec.depth), selects: [] };
    case 'json-invalid': return { text: JSON.stringify(pushPayload(FOLLOWED, ref, sha)).slice(0, -1 - (index % 5)), selects: [] };
    case 'binary': return { bytes: spec.bytes, selects: [] };
    case 'empty': return { text: '', selects: [] };
    case 'sized': {
      // A well-formed push padded to the cap plus or minus a few bytes.
      const base = JSON.stringify(pushPayload(FOLLOWED, ref, sha, { pad: '' }));
      const pad = Math.max(0, cap + spec.sizeOffset - Buffer.byteLength(base));
      return { text: JSON.stringify(pushPayload(FOLLOWED, ref, sha, { pad: 'p'.repeat(pad) })), selects: FOLLOWED_REFS[ref] };
    }
  }
}

function wrongTypes(index: number, json: unknown): Record<string, unknown> {
  const variants: Array<Record<string, unknown>> = [
    { ref: 42 }, { after: 'not-a-sha' }, { repository: 'acme/platform' }, { repository: [] }, { ref: null },
    { repository: { clone_url: 7 } }, { after: json }, { deleted: 'yes' }, { ref: '' }, { repository: { clone_url: 'not a url' } },
  ];
  return variants[index % variants.length];
}

function signatureHeader(spec: DeliverySpec, secret: string, bytes: Buffer): string | undefined {
  const good = signBody(secret, bytes);
  switch (spec.signature) {
    case 'valid': return good;
    case 'missing': case 'sha1-only': return undefined;
    case 'forged': return `sha256=${createHash('sha256').update(bytes).digest('hex')}`;
    case 'flipped': return good.slice(0, -1) + (good.endsWith('0') ? '1' : '0');
    case 'wrong-secret': return signBody(`${secret}x`, bytes);
    case 'uppercase-hex': return `sha256=${good.slice(7).toUpperCase()}`;
    case 'padded': return ` ${good} `;
    case 'duplicate': return `${good},${good}`; // API Gateway v2 joins a repeated header with commas
    case 'sha1-prefix': return `sha1=${createHmac('sha1', secret).update(bytes).digest('hex')}`;
  }
}

function transport(spec: DeliverySpec, text: string | undefined, raw: Uint8Array | undefined): { sent: Buffer; body: string; base64: boolean } {
  const utf8 = raw ? Buffer.from(raw) : Buffer.from(spec.encoding === 'bom' ? `\uFEFF${text}` : text!, 'utf8');
  switch (spec.encoding) {
    case 'utf8': case 'bom': return { sent: utf8, body: utf8.toString('utf8'), base64: false };
    case 'base64': return { sent: utf8, body: utf8.toString('base64'), base64: true };
    case 'base64-corrupt': return { sent: utf8, body: `${utf8.toString('base64').slice(0, -2)}!*`, base64: true };
    case 'latin1-base64': case 'latin1-text': {
      // The sender encodes in latin1 (é is one byte 0xE9): valid base64 carries it; text transport mangles it.
      const latin1 = raw ? Buffer.from(raw) : Buffer.from((text ?? '').replace('acme/x', 'acmé/x'), 'latin1');
      return spec.encoding === 'latin1-base64'
        ? { sent: latin1, body: latin1.toString('base64'), base64: true }
        : { sent: latin1, body: latin1.toString('latin1'), base64: false };
    }
  }
}

function deliveryIdOf(spec: DeliverySpec, salt: string, index: number): string | undefined {
  switch (spec.deliveryId) {
    case 'fresh': return `${salt}-${index}`;
    case 'repeat': return `${salt}-repeat-${spec.repeat}`;
    case 'missing': return undefined;
    case 'empty': return '';
    case 'long': return `${salt}-${index}-${'x'.repeat(500)}`; // 3 KB ids: see the todo test
    case 'unicode': return `${salt}-${index}-délivré-✓-ß`;
  }
}

function headerName(name: string, style: DeliverySpec['headerCase']): string {
  if (style === 'upper') return name.toUpperCase();
  if (style === 'title') return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
  return name;
}

/** The event API Gateway would hand the webhook λ for `spec`, as delivery `index` of run `salt`. */
export function buildDelivery(spec: DeliverySpec, salt: string, index: number, secret: string, cap: number): BuiltDelivery {
  const { text, bytes, selects } = bodyText(spec, salt, index, cap);
  const { sent, body, base64 } = transport(spec, text, bytes);
  const deliveryId = deliveryIdOf(spec, salt, index);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/fuzz' };
  const signature = signatureHeader(spec, secret, sent);
  if (signature !== undefined) headers[headerName('x-hub-signature-256', spec.headerCase)] = signature;
  if (spec.signature === 'sha1-only') headers[headerName('x-hub-signature', spec.headerCase)] = `sha1=${createHmac('sha1', secret).update(sent).digest('hex')}`;
  if (spec.event !== undefined) headers[headerName('x-github-event', spec.headerCase)] = spec.event;
  if (deliveryId !== undefined) headers[headerName('x-github-delivery', spec.headerCase)] = deliveryId;
  const event = httpEvent({ method: 'POST', path: '/webhooks/github' });
  event.body = body;
  event.isBase64Encoded = base64;
  event.headers = headers; // not lower-cased: the handler must not depend on API Gateway doing it
  const received = Buffer.from(body, base64 ? 'base64' : 'utf8');
  const validlySigned = spec.signature === 'valid' && received.equals(sent);
  const wellFormedPush = validlySigned && spec.event === 'push' && !!deliveryId && received.byteLength <= cap
    && (spec.encoding === 'utf8' || spec.encoding === 'base64');
  return { event, deliveryId, validlySigned, selects: wellFormedPush ? selects : [], size: received.byteLength };
}
