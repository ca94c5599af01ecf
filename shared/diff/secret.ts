/**
 * Secrets in the diff (SPEC-sync §5.3, SECURITY.md): `stringData` folded into `data` for comparison,
 * and every value masked in anything shown to people — `data`, `stringData` and the last-applied
 * annotation. Values are never decoded, so bad base64 can neither throw nor leak through an error.
 */
import { groupOf, isRecord, type KubeObject } from '../model/object.ts';
import { clone, deepEqual, type Json } from './json.ts';

/** What a masked value reads as. */
export const REDACTED = '<redacted>';
/** Masks of a value that differs between the two sides, so a diff still shows that it changed. */
export const REDACTED_PREDICTED = '<redacted:desired>';
export const REDACTED_LIVE = '<redacted:live>';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Whether an object is a core/v1 Secret.
 * @example isSecret({ apiVersion: 'v1', kind: 'Secret', metadata: {} }) // true
 */
export function isSecret(obj: KubeObject | null | undefined): obj is KubeObject {
  return !!obj && obj.kind === 'Secret' && typeof obj.apiVersion === 'string' && groupOf(obj.apiVersion) === '';
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * Folds `stringData` into `data` (base64, `stringData` winning, as the API server does) and turns null
 * values into "", in place. A non-object `data`/`stringData` is left for the API server to refuse.
 * @example foldStringData(secret) // secret.data.password === 'czNjcjN0' where stringData had 's3cr3t'
 */
export function foldStringData(secret: Json): void {
  if (secret.data != null && !isRecord(secret.data)) return;
  const data: Json = isRecord(secret.data) ? secret.data : {};
  if (isRecord(secret.stringData)) {
    for (const [key, value] of Object.entries(secret.stringData)) data[key] = base64(value === null ? '' : String(value));
    delete secret.stringData;
  }
  for (const key of Object.keys(data)) if (data[key] === null) data[key] = '';
  if (secret.data !== undefined || Object.keys(data).length > 0) secret.data = data;
}

/** A field's mask for one key, or for the whole field (key null) when it is not a map. */
type Mask = (field: 'data' | 'stringData', key: string | null) => string;

function maskField(values: unknown, field: 'data' | 'stringData', mask: Mask): unknown {
  if (values === undefined) return undefined;
  if (!isRecord(values)) return mask(field, null);
  return Object.fromEntries(Object.keys(values).map((k) => [k, mask(field, k)]));
}

function maskOne(secret: KubeObject, mask: Mask): KubeObject {
  const out = clone(secret);
  for (const field of ['data', 'stringData'] as const) {
    const masked = maskField(out[field], field, mask);
    if (masked !== undefined) out[field] = masked;
  }
  const annotations = out.metadata?.annotations;
  if (isRecord(annotations) && annotations[LAST_APPLIED] !== undefined) annotations[LAST_APPLIED] = REDACTED;
  return out;
}

/**
 * A copy of an object fit to show: a Secret has every value of `data` and `stringData`, and its
 * last-applied annotation, replaced by `<redacted>`. Other kinds are returned as they are.
 * @example maskSecret(secret).data // { password: '<redacted>' }
 */
export function maskSecret<T extends KubeObject | null | undefined>(obj: T): T {
  return isSecret(obj) ? (maskOne(obj, () => REDACTED) as T) : obj;
}

function valueAt(obj: KubeObject | null, field: string, key: string | null): unknown {
  const values = obj?.[field];
  if (key === null) return values;
  return isRecord(values) ? values[key] : undefined;
}

/**
 * Both sides of a Secret diff, masked so that a value equal on both sides reads `<redacted>` on both,
 * and a changed one reads `<redacted:desired>` / `<redacted:live>`: the diff shows which keys changed,
 * never what they hold.
 * @example maskSecretPair(predicted, live) // [{ data: { a: '<redacted>', b: '<redacted:desired>' } }, ...]
 */
export function maskSecretPair(predicted: KubeObject | null, live: KubeObject | null): [KubeObject | null, KubeObject | null] {
  if (!isSecret(predicted) && !isSecret(live)) return [predicted, live];
  const differs = (field: string, key: string | null): boolean => {
    const [p, l] = [valueAt(predicted, field, key), valueAt(live, field, key)];
    return p !== undefined && l !== undefined && !deepEqual(p, l);
  };
  return [
    predicted && maskOne(predicted, (f, k) => (differs(f, k) ? REDACTED_PREDICTED : REDACTED)),
    live && maskOne(live, (f, k) => (differs(f, k) ? REDACTED_LIVE : REDACTED)),
  ];
}
