/**
 * Hook identity (SPEC-sync §2.3): a hook keeps its `metadata.name`; one with only `generateName` is
 * named `<generateName>` + lowercase(`<rev7>-<phase>-<opStartUnix>`), stable across ticks because the
 * start time is persisted. Created hooks carry the hook finalizer so their result can be read
 * before anything (a Job TTL) removes them.
 */
import type { SyncPhase } from '../model/annotations.ts';
import type { KubeObject, ResourceKey } from '../model/object.ts';
import { withTracking } from '../model/tracking.ts';
import type { PlanSettings } from './types.ts';

export const HOOK_FINALIZER = 'argocd.argoproj.io/hook-finalizer';

/** Names over this length break Jobs (their pods get the name as a label value, §8 #9184). */
const MAX_NAME = 63;

/**
 * The revision part of a generated hook name: its first 7 characters, or all of it when shorter than 8.
 * @example revisionPart('6ccfe74a1b2c') // '6ccfe74'
 */
function revisionPart(revision: string): string {
  return revision.length >= 8 ? revision.slice(0, 7) : revision;
}

/**
 * The name of a hook in one phase: its own name, else generateName + lowercase suffix.
 * @example hookName({ ...job, metadata: { generateName: 'linter-' } }, 'PostSync', '6ccfe74aa', 1650650648) // 'linter-6ccfe74-postsync-1650650648'
 */
export function hookName(obj: KubeObject, phase: SyncPhase, revision: string, startedAt: number): string | undefined {
  if (obj.metadata.name) return obj.metadata.name;
  if (!obj.metadata.generateName) return undefined;
  const suffix = `${revisionPart(revision)}-${phase}-${Math.floor(startedAt)}`.toLowerCase();
  return obj.metadata.generateName + suffix;
}

/** Whether a generated name is too long for Kubernetes names that end up in labels. */
export function isNameTooLong(name: string): boolean {
  return name.length > MAX_NAME;
}

/**
 * The object to apply for a target: final name and namespace (none for cluster-scoped kinds), the
 * hook finalizer for hooks, and the tracking id (§5.5, not on CRDs).
 */
export function prepareTarget(obj: KubeObject, key: ResourceKey, hook: boolean, settings: PlanSettings): KubeObject {
  const metadata = { ...obj.metadata, name: key.name };
  if (key.namespace) metadata.namespace = key.namespace;
  else delete metadata.namespace;
  if (hook) {
    delete metadata.generateName;
    const finalizers = metadata.finalizers ?? [];
    if (!finalizers.includes(HOOK_FINALIZER)) metadata.finalizers = [...finalizers, HOOK_FINALIZER];
  }
  return withTracking({ ...obj, metadata }, settings.appInstance, key, settings.destinationNamespace);
}
