/**
 * From a decoded Kubernetes protobuf message to the JSON form the API server serves, with Go's rules
 * for empty fields. Go's protobuf encoder writes every non-pointer field, so empty strings, zeros and
 * `false` arrive set where Go's JSON (`omitempty`) would leave them out; they are dropped here unless
 * the field is required (its doc comment has no `+optional`, so Go's JSON writes it) or, for numbers
 * and booleans, a pointer whose zero means something (its comment says it is a pointer, or names a
 * non-zero default: an explicit `replicas: 0` must survive). Empty lists and maps are dropped;
 * values inside them are kept as they are. The apimachinery types with their own JSON form are
 * converted: Time and MicroTime (RFC 3339), Duration, Quantity and IntOrString (their string or
 * number), RawExtension and FieldsV1 (the JSON their bytes hold); bytes become base64.
 */
import type protobuf from 'protobufjs';
import { badRequest } from './errors.ts';
import type { Obj } from './store.ts';

const META = '.k8s.io.apimachinery.pkg.apis.meta.v1';

type Special = (message: Obj, path: string) => unknown;

/**
 * Go structs embedded with `json:",inline"`: a field in protobuf, their fields merged into the parent
 * in JSON (the proto files do not say so, hence the list, from k8s.io/api v1.32's GA types).
 */
const INLINE = new Set([
  '.k8s.io.api.core.v1.Volume.volumeSource',
  '.k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource',
  '.k8s.io.api.core.v1.Probe.handler',
  '.k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon',
  '.k8s.io.api.networking.v1.IngressRule.ingressRuleValue',
  '.k8s.io.api.admissionregistration.v1.RuleWithOperations.rule',
  '.k8s.io.api.admissionregistration.v1.NamedRuleWithOperations.ruleWithOperations',
]);

function isInline(type: protobuf.Type, field: protobuf.Field): boolean {
  return field.name === 'localObjectReference' || INLINE.has(`${type.fullName}.${field.name}`);
}

/** The apimachinery messages whose JSON form is not an object of their fields. */
const SPECIAL: Record<string, Special> = {
  [`${META}.Time`]: (m) => timeOf(m, false),
  [`${META}.MicroTime`]: (m) => timeOf(m, true),
  [`${META}.Duration`]: (m) => goDuration(toNumber(m.duration ?? 0)),
  [`${META}.FieldsV1`]: (m, path) => rawJson(m.Raw, path),
  '.k8s.io.apimachinery.pkg.runtime.RawExtension': (m, path) => rawJson(m.raw, path),
  '.k8s.io.apimachinery.pkg.api.resource.Quantity': (m) => m.string ?? '',
  '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': (m) => (toNumber(m.type ?? 0) === 1 ? (m.strVal ?? '') : toNumber(m.intVal ?? 0)),
};

function toNumber(value: unknown): number {
  return typeof value === 'number' ? value : Number(String(value));
}

/** RFC 3339 to the second (Time) or the microsecond (MicroTime); the zero time is left out (Go writes null). */
function timeOf(m: Obj, micro: boolean): string | undefined {
  const seconds = toNumber(m.seconds ?? 0);
  const nanos = toNumber(m.nanos ?? 0);
  if (seconds === 0 && nanos === 0) return undefined;
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

/** Go's `time.Duration.String()` of a count of nanoseconds ("1h2m3.5s", "150ms", "0s"). */
export function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let n = Math.abs(nanos);
  if (n < 1e9) {
    const [unit, size] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${sign}${trimmed(n / size)}${unit}`;
  }
  const hours = Math.floor(n / 3.6e12);
  n -= hours * 3.6e12;
  const minutes = Math.floor(n / 6e10);
  n -= minutes * 6e10;
  const head = hours ? `${hours}h${minutes}m` : minutes ? `${minutes}m` : '';
  return `${sign}${head}${trimmed(n / 1e9)}s`;
}

function trimmed(n: number): string {
  return String(Number(n.toFixed(9)));
}

function rawJson(raw: unknown, path: string): unknown {
  if (!(raw instanceof Uint8Array) || !raw.length) return undefined;
  const text = Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`${path}: the embedded object is not JSON, which is the only encoding the simulator reads there`);
  }
}

/** Go slices of a named type (`ExtraValue`, `Verbs`) travel as a message holding `items`. */
function isSliceWrapper(type: protobuf.Type): boolean {
  return /\+protobuf\.nullable=true/.test(type.comment ?? '') && type.fieldsArray.length === 1 && type.fieldsArray[0].name === 'items';
}

/** Whether Go's JSON writes this field's zero value (see the file comment). */
function keepsZero(field: protobuf.Field, value: unknown): boolean {
  const comment = field.comment ?? '';
  if (!/\+optional/.test(comment)) return true;
  if (typeof value === 'string' || value instanceof Uint8Array) return false;
  return /\bpointer\b/i.test(comment) || /\bDefaults? to\s+(?!0\b|false\b|""|empty\b|nil\b)\S/i.test(comment);
}

function isZero(value: unknown): boolean {
  if (value instanceof Uint8Array) return value.length === 0;
  if (value !== null && typeof value === 'object') return toNumber(value) === 0;
  return value === '' || value === 0 || value === false;
}

/** A scalar's JSON form: bytes in base64, 64-bit integers as numbers. */
function scalar(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value !== null && typeof value === 'object') return toNumber(value);
  return value;
}

/** One value of a field (an element of a list or map included). */
function valueOf(field: protobuf.Field, value: unknown, path: string): unknown {
  const type = field.resolve().resolvedType;
  if (type && 'fieldsArray' in type) return toJsonForm(type as protobuf.Type, value as Obj, path);
  return scalar(value);
}

/** The JSON form of a message (undefined for the zero Time, which Go writes as null). */
export function toJsonForm(type: protobuf.Type, message: Obj, path = ''): any {
  const special = SPECIAL[type.fullName];
  if (special) return special(message, path);
  if (isSliceWrapper(type)) return ((message.items ?? []) as unknown[]).map((v) => scalar(v));
  const out: Obj = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = message[field.name];
    const at = path ? `${path}.${field.name}` : field.name;
    let json: unknown;
    if (field.map) {
      const entries = Object.entries(value as Obj);
      if (!entries.length) continue;
      json = Object.fromEntries(entries.map(([k, v]) => [k, valueOf(field, v, `${at}[${k}]`)]));
    } else if (field.repeated) {
      if (!(value as unknown[]).length) continue;
      json = (value as unknown[]).map((v, i) => valueOf(field, v, `${at}[${i}]`));
    } else {
      if (isZero(value) && !keepsZero(field, value)) continue;
      json = valueOf(field, value, at);
    }
    if (json !== undefined && isInline(type, field) && typeof json === 'object') Object.assign(out, json);
    else if (json !== undefined) out[field.name] = json;
  }
  return out;
}
