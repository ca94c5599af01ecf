/**
 * The Application's `source.kustomize` options applied to a kustomization, with the result Argo CD's
 * `kustomize edit` commands give, in Argo CD's order: set nameprefix, set namesuffix, set image, set
 * replicas, add label, add annotation, set namespace, patches (appended, as Argo CD rewrites the
 * file), add component. `kubectl kustomize` has no `edit`, so gitwave edits the scratch copy's
 * kustomization itself; this module is the pure part (data in, data out).
 */
import { isRecord } from '../model/object.ts';
import { envsubst } from './envsubst.ts';
import { renderError } from './errors.ts';
import type { BuildEnv, KustomizeSourceOptions } from './types.ts';

/** A kustomize `images:` entry. */
export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const TAG = /^(.*):([a-zA-Z0-9._-]*|\*)$/;
const PRESERVE = '*';

/**
 * `kustomization` with the options applied. `components` must already be filtered by existence when
 * `ignoreMissingComponents` is set. Errors (a label that exists without force, a bad image) name the
 * kustomization file.
 */
export function applyKustomizeOptions(
  kustomization: Record<string, unknown>,
  options: KustomizeSourceOptions,
  env: BuildEnv,
  file: string,
): Record<string, unknown> {
  const k: Record<string, unknown> = structuredClone(kustomization);
  if (options.namePrefix) k.namePrefix = options.namePrefix;
  if (options.nameSuffix) k.nameSuffix = options.nameSuffix;
  if (options.images?.length) k.images = setImages(list(k.images), options.images.map((i) => envsubst(i, env)), file);
  if (options.replicas?.length) k.replicas = setReplicas(list(k.replicas), options.replicas, file);
  if (options.commonLabels && Object.keys(options.commonLabels).length > 0) addLabels(k, options, env, file);
  if (options.commonAnnotations && Object.keys(options.commonAnnotations).length > 0) {
    const values = options.commonAnnotationsEnvsubst ? mapValues(options.commonAnnotations, (v) => envsubst(v, env)) : options.commonAnnotations;
    k.commonAnnotations = addToMap(record(k.commonAnnotations), values, !!options.forceCommonAnnotations, 'annotation', file);
  }
  if (options.namespace) k.namespace = options.namespace;
  if (options.patches?.length) k.patches = [...list(k.patches), ...options.patches.map((p) => dropUndefined({ ...p }))];
  if (options.components?.length) {
    const existing = list(k.components);
    k.components = [...existing, ...options.components.filter((c) => !existing.includes(c))];
  }
  return k;
}

/** `kustomize edit set image`: overrides replace entries of the same name; the list ends sorted by name. */
export function setImages(existing: unknown[], args: readonly string[], file: string): ImageOverride[] {
  const byName = new Map<string, ImageOverride>();
  for (const arg of args) {
    const image = parseImageArg(arg, file);
    byName.set(image.name, image);
  }
  for (const item of existing.filter(isRecord)) {
    const current = item as unknown as ImageOverride;
    const override = byName.get(current.name);
    if (!override) byName.set(current.name, current);
    else byName.set(current.name, preserveFrom(override, current));
  }
  const images = [...byName.values()].map((image) => preserveFrom(image, {} as ImageOverride));
  return images.map(dropUndefined).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `*` as new name, tag or digest keeps the value already in the kustomization (or none). */
function preserveFrom(image: ImageOverride, current: Partial<ImageOverride>): ImageOverride {
  const pick = (value: string | undefined, old: string | undefined): string | undefined => (value === PRESERVE ? old : value);
  return { name: image.name, newName: pick(image.newName, current.newName), newTag: pick(image.newTag, current.newTag), digest: pick(image.digest, current.digest) };
}

/**
 * One `set image` argument: `name=new:tag`, `name=new@digest`, `name=new`, `name:tag`, `name@digest`.
 * @example parseImageArg('postgres=eu.gcr.io/p/postgres:15', 'k.yaml') // { name: 'postgres', newName: 'eu.gcr.io/p/postgres', newTag: '15' }
 */
export function parseImageArg(arg: string, file: string): ImageOverride {
  const parts = arg.split('=');
  if (parts.length === 2) {
    const over = parseOverwrite(parts[1], true, arg, file);
    return { name: parts[0], newName: over.name, newTag: over.tag, digest: over.digest };
  }
  const over = parseOverwrite(arg, false, arg, file);
  return { name: over.name ?? '', newTag: over.tag, digest: over.digest };
}

function parseOverwrite(text: string, allowBareName: boolean, arg: string, file: string): { name?: string; tag?: string; digest?: string } {
  const at = text.split('@');
  if (at.length > 1) return { name: at[0], digest: at[1] };
  const tagged = TAG.exec(text);
  if (tagged) return { name: tagged[1], tag: tagged[2] };
  if (text.length > 0 && allowBareName) return { name: text };
  throw renderError(file, `invalid image override "${arg}": use name=new:tag, name=new@digest, name=new, name:tag or name@digest`);
}

/** `kustomize edit set replicas`: same-name entries replaced, the list sorted by name. */
function setReplicas(existing: unknown[], replicas: ReadonlyArray<{ name: string; count: number | string }>, file: string): unknown[] {
  const byName = new Map<string, unknown>();
  for (const { name, count } of replicas) {
    const n = typeof count === 'number' ? count : Number.parseInt(count, 10);
    if (!Number.isInteger(n) || String(n) !== String(count).trim()) throw renderError(file, `invalid replica count "${String(count)}" for ${name}`);
    byName.set(name, { name, count: n });
  }
  for (const item of existing.filter(isRecord)) if (!byName.has(String(item.name))) byName.set(String(item.name), item);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

/** `kustomize edit add label [--force] [--without-selector [--include-templates]]`; values env-substituted as Argo CD does. */
function addLabels(k: Record<string, unknown>, options: KustomizeSourceOptions, env: BuildEnv, file: string): void {
  const labels = mapValues(options.commonLabels ?? {}, (v) => envsubst(v, env));
  const force = !!options.forceCommonLabels;
  if (options.labelIncludeTemplates && !options.labelWithoutSelector) {
    throw renderError(file, 'labelIncludeTemplates needs labelWithoutSelector (kustomize: --include-templates requires --without-selector)');
  }
  if (!options.labelWithoutSelector) {
    k.commonLabels = addToMap(record(k.commonLabels), labels, force, 'label', file);
    return;
  }
  const entries = list(k.labels).filter(isRecord).map((e) => ({ ...e, pairs: { ...record(e.pairs) } }));
  const fresh: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) {
    const holder = entries.find((e) => key in e.pairs);
    if (holder && !force) throw renderError(file, `label ${key} already in kustomization file; set forceCommonLabels to override it`);
    if (holder) holder.pairs[key] = value;
    else fresh[key] = value;
  }
  if (Object.keys(fresh).length > 0) entries.push({ pairs: fresh, ...(options.labelIncludeTemplates ? { includeTemplates: true } : {}) });
  k.labels = entries;
}

function addToMap(map: Record<string, unknown>, values: Readonly<Record<string, string>>, force: boolean, kind: string, file: string): Record<string, unknown> {
  for (const [key, value] of Object.entries(values)) {
    if (key in map && !force) throw renderError(file, `${kind} ${key} already in kustomization file; set forceCommon${kind === 'label' ? 'Labels' : 'Annotations'} to override it`);
    map[key] = value;
  }
  return map;
}

function mapValues(map: Readonly<Record<string, string>>, f: (v: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, f(v)]));
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? [...value] : [];
}

function record(value: unknown): Record<string, unknown> {
  return isRecord(value) ? { ...value } : {};
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}
