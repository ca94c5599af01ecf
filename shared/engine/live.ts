/**
 * Reading live state for the engine: the plan step lists each kind the app uses (one list per kind,
 * kept to the objects tracked to the app or named by a desired object, SPEC-sync §5.5), and each
 * tick gets the objects it needs one by one (the plan's tasks and prune candidates), so a tick's
 * cost grows with the app, not with the cluster.
 */
import { groupOf, keyString, type KubeObject, type ResourceKey } from '../model/object.ts';
import { isTrackedTo } from '../model/tracking.ts';
import { KindNotServedError, type ClusterClient } from '../kube/index.ts';
import type { LiveRef } from './plan-document.ts';

/** Concurrent API calls of one task: enough to overlap round trips, few enough not to be throttled. */
export const KUBE_CONCURRENCY = 8;

/**
 * `fn` over `items`, at most `limit` at a time, results in input order.
 * @example await mapLimit(refs, 8, (ref) => kube.get(ref));
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Distinct kinds, in first-seen order. */
export function distinctKinds(kinds: ReadonlyArray<{ group: string; kind: string }>): Array<{ group: string; kind: string }> {
  const seen = new Map<string, { group: string; kind: string }>();
  for (const { group, kind } of kinds) if (!seen.has(`${group}/${kind}`)) seen.set(`${group}/${kind}`, { group, kind });
  return [...seen.values()];
}

/**
 * Live objects of the given kinds that are tracked to `appInstance` or share a key with a desired
 * object (adoption). A kind the cluster does not serve yet (its CRD comes with this sync) has none.
 */
export async function listManagedLive(
  kube: ClusterClient, kinds: ReadonlyArray<{ group: string; kind: string }>, appInstance: string, desiredKeys: ReadonlySet<string>,
): Promise<KubeObject[]> {
  const lists = await mapLimit(kinds, KUBE_CONCURRENCY, async ({ group, kind }) => {
    try {
      return await kube.list({ group, kind });
    } catch (error) {
      if (error instanceof KindNotServedError) return [];
      throw error;
    }
  });
  return lists.flat().filter((obj) => isTrackedTo(obj, appInstance) || desiredKeys.has(keyString(liveKeyOf(obj))));
}

/** The key of a live object as the cluster gives it. */
export function liveKeyOf(obj: KubeObject): ResourceKey {
  return { group: groupOf(obj.apiVersion), kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

/** The reference the plan keeps of a live object. */
export function liveRefOf(obj: KubeObject): LiveRef {
  return { ...liveKeyOf(obj), apiVersion: obj.apiVersion };
}

/**
 * The live objects behind some references, one GET each (absent ones and kinds not served are left
 * out). Duplicate references are read once.
 */
export async function getLive(kube: ClusterClient, refs: readonly LiveRef[]): Promise<KubeObject[]> {
  const unique = new Map(refs.map((ref) => [keyString(ref), ref]));
  const found = await mapLimit([...unique.values()], KUBE_CONCURRENCY, async (ref) => {
    const { group, kind, namespace, name } = ref;
    const version = ref.apiVersion.includes('/') ? ref.apiVersion.split('/')[1] : ref.apiVersion;
    try {
      return await kube.get({ group, version, kind, namespace: namespace || undefined, name });
    } catch (error) {
      if (error instanceof KindNotServedError) return undefined;
      throw error;
    }
  });
  return found.filter((obj): obj is KubeObject => obj !== undefined);
}
