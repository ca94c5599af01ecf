/**
 * The words of a failed operation (SPEC-sync §2.6): `<message>, reason: <Kind>/<name>: <its message>; …`
 * naming each failed task, the first few only, cut to a length a status can show. Also keeps Secret
 * values out of task messages: an API server may quote the value it refused.
 */
import { REDACTED } from '../diff/secret.ts';
import type { KubeObject } from '../model/object.ts';
import type { ResourceResult } from './state.ts';

/** The most failed tasks an operation message names; the rest are counted. */
export const MAX_NAMED_REASONS = 5;
/** A task's message within an operation message is cut to this many characters. */
export const MAX_REASON = 240;
/** An operation message is cut to this many characters. */
export const MAX_OPERATION_MESSAGE = 1500;

/** `text` cut to `max` characters, ending in `…` when it was cut. */
export function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** `<Kind>/<name>: <message>`, or `<Kind>/<name>` when the task said nothing. */
function reasonOf(result: Pick<ResourceResult, 'kind' | 'name' | 'message'>): string {
  const message = cut(result.message.replace(/\s+/g, ' ').trim(), MAX_REASON);
  return message === '' ? `${result.kind}/${result.name}` : `${result.kind}/${result.name}: ${message}`;
}

/** `<message>, reason: <r1>; <r2>; … and N more` from the given results (the message alone when none). */
export function withReasons(message: string, results: readonly ResourceResult[]): string {
  if (results.length === 0) return message;
  const named = results.slice(0, MAX_NAMED_REASONS).map(reasonOf).join('; ');
  const more = results.length > MAX_NAMED_REASONS ? ` and ${results.length - MAX_NAMED_REASONS} more` : '';
  return `${message}, reason: ${named}${more}`;
}

/** Every string value of a Secret's data (raw and decoded) and stringData. */
function secretValues(obj: KubeObject | undefined): string[] {
  if (obj?.kind !== 'Secret' || obj.apiVersion !== 'v1') return [];
  const values: string[] = [];
  for (const [field, encoded] of [['data', true], ['stringData', false]] as const) {
    const map = obj[field];
    if (typeof map !== 'object' || map === null) continue;
    for (const value of Object.values(map as Record<string, unknown>)) {
      if (typeof value !== 'string' || value === '') continue;
      values.push(value);
      if (encoded) values.push(decoded(value));
    }
  }
  return values.filter((v) => v !== '');
}

function decoded(base64: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  } catch {
    return '';
  }
}

/** Values this short are masked only where quoted: masking every "1" would garble the message. */
const SHORT_VALUE = 4;

/**
 * A message about a Secret with every value it holds replaced by `<redacted>` (longest first, so a
 * value inside another is not half-masked). Messages about other kinds are returned as they are.
 */
export function withoutSecretValues(message: string, ...objects: Array<KubeObject | undefined>): string {
  const values = [...new Set(objects.flatMap(secretValues))].sort((a, b) => b.length - a.length);
  return values.reduce((text, value) => (value.length < SHORT_VALUE
    ? text.split(`"${value}"`).join(`"${REDACTED}"`)
    : text.split(value).join(REDACTED)), message);
}
