/**
 * Normalisation of one side of a diff (SPEC-sync §5.3): server-managed metadata dropped, `status`
 * ignored by default, the kind's own normalisation. The caller injects tracking metadata into the
 * desired object before the server-side dry run, so predicted live already carries it.
 */
import { isCrd } from '../model/kinds.ts';
import { isRecord, type KubeObject } from '../model/object.ts';
import { clone } from './json.ts';
import { normalizeKind, type KindOptions } from './kinds.ts';

/** Which kinds have their `status` ignored: every kind (default), CustomResourceDefinitions only, or none. */
export type IgnoreStatusField = 'all' | 'crd' | 'none';

/** Options of {@link normalize}. */
export interface NormalizeOptions extends KindOptions {
  /** Default `all`, as Argo CD's `resource.compareoptions.ignoreResourceStatusField`. */
  ignoreResourceStatusField?: IgnoreStatusField;
}

/** Metadata the API server writes, never part of the desired state. */
const SERVER_METADATA = ['creationTimestamp', 'managedFields', 'resourceVersion', 'uid', 'generation', 'selfLink'];
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function dropsStatus(obj: KubeObject, mode: IgnoreStatusField): boolean {
  if (mode === 'all') return true;
  return mode === 'crd' && isCrd(obj);
}

function normalizeMetadata(obj: KubeObject): void {
  if (!isRecord(obj.metadata)) return;
  for (const field of SERVER_METADATA) delete obj.metadata[field];
  const annotations = obj.metadata.annotations;
  if (isRecord(annotations)) {
    delete annotations[LAST_APPLIED];
    if (Object.keys(annotations).length === 0) delete obj.metadata.annotations;
  }
}

/**
 * A normalised copy of an object; the input is not changed.
 * @example normalize(liveDeployment).status // undefined
 * @example normalize(crd, { ignoreResourceStatusField: 'none' }).status // kept
 */
export function normalize(obj: KubeObject, options: NormalizeOptions = {}): KubeObject {
  const out = clone(obj);
  normalizeMetadata(out);
  if (dropsStatus(out, options.ignoreResourceStatusField ?? 'all')) delete out.status;
  normalizeKind(out, options);
  return out;
}
