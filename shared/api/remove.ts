/**
 * DELETE /api/applications/{name} with `{cascade?: boolean}`: unregister an Application, and with
 * `cascade` first delete the objects it deployed. gitwave's default is to keep them (the opposite of
 * `argocd app delete`, whose default is cascade): deleting what runs in a cluster should be asked for.
 *
 * A cascade holds the cluster lock, like a sync (one writer per cluster, SECURITY.md §4): it is
 * refused while a sync of that cluster runs. It deletes the objects tracked to the Application in
 * reverse wave order, as Argo CD prunes, waiting for each wave to be gone before the next (bounded:
 * what is still finalizing is reported, not waited for). Namespaces the sync created stay, as in
 * Argo CD. The answer lists what was deleted, so the CLI can say exactly what was done.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { syncWave } from '../model/annotations.ts';
import { appInstanceOf } from '../model/application.ts';
import { versionOf, type KubeObject } from '../model/object.ts';
import type { ClusterClient } from '../kube/index.ts';
import { HttpError } from '../lambda/errors.ts';
import { liveKeyOf, listManagedLive, mapLimit, KUBE_CONCURRENCY } from '../engine/live.ts';
import { bindingOf, requireApplication } from './applications.ts';
import type { ApiDeps } from './deps.ts';

const deleteBody = z.strictObject({ cascade: z.boolean().optional() });

/** The cluster lock's lease for a cascade: longer than the waits below. */
const CASCADE_LEASE_MS = 120_000;
/** How long each wave may take to disappear before the next starts anyway (finalizers). */
const WAVE_GONE_TIMEOUT_MS = 20_000;

export interface DeletedObject {
  kind: string;
  namespace: string | null;
  name: string;
  wave: number;
  /** `deleted`, or `deleting` when finalizers still hold it. */
  outcome: 'deleted' | 'deleting';
}

export interface DeleteAnswer {
  name: string;
  cascade: boolean;
  /** The objects deleted from the cluster, in the order they were deleted ([] without cascade). */
  deleted: DeletedObject[];
  message: string;
}

export async function deleteApplication(deps: ApiDeps, name: string, body: unknown): Promise<DeleteAnswer> {
  const parsed = deleteBody.safeParse(body);
  if (!parsed.success) throw new HttpError(400, `delete request: field ${parsed.error.issues[0].path.join('.') || '(body)'}: ${parsed.error.issues[0].message.toLowerCase()}`);
  const cascade = parsed.data.cascade ?? false;
  const stored = await requireApplication(deps, name);
  if (!cascade) {
    await deps.store.deleteApplication(name);
    return { name, cascade, deleted: [], message: `application ${name} unregistered; its objects were kept in the cluster` };
  }
  const { cluster } = await bindingOf(deps, name);
  const owner = `api-delete:${name}:${(deps.newId ?? randomUUID)()}`;
  const lock = await deps.store.acquire(cluster.name, owner, { syncId: owner, leaseMs: CASCADE_LEASE_MS });
  if (!lock.acquired) throw new HttpError(409, `cluster ${cluster.name} is being synced (${lock.holder?.syncId ?? lock.holder?.owner ?? 'another operation'}): delete ${name} with cascade again when it is done`);
  try {
    const kube = await deps.connect(cluster, { purpose: 'deploy', syncId: owner });
    const status = await deps.store.getStatus(name);
    const kinds = ((status?.resources ?? []) as Array<{ group: string; kind: string }>).map(({ group, kind }) => ({ group, kind }));
    const live = await listManagedLive(kube, kinds, appInstanceOf(stored.app), new Set());
    const deleted = await deleteInReverseWaves(kube, live);
    await deps.store.deleteApplication(name);
    return { name, cascade, deleted, message: `application ${name} unregistered; ${deleted.length} object${deleted.length === 1 ? '' : 's'} deleted from cluster ${cluster.name}` };
  } finally {
    await deps.store.release({ cluster: cluster.name, owner, fence: lock.fence });
  }
}

async function deleteInReverseWaves(kube: ClusterClient, live: readonly KubeObject[]): Promise<DeletedObject[]> {
  const waves = [...new Set(live.map((o) => syncWave(o)))].sort((a, b) => b - a);
  const deleted: DeletedObject[] = [];
  for (const wave of waves) {
    const objects = live.filter((o) => syncWave(o) === wave);
    const outcomes = await mapLimit(objects, KUBE_CONCURRENCY, async (obj) => {
      const { group, kind, namespace, name } = liveKeyOf(obj);
      const ref = { group, version: versionOf(obj.apiVersion), kind, namespace: namespace || undefined, name };
      const result = await kube.delete(ref, { propagationPolicy: 'Foreground', ...(obj.metadata.uid ? { uid: obj.metadata.uid } : {}) });
      const gone = result.outcome !== 'deleting' || (await goneWithin(() => kube.get(ref), WAVE_GONE_TIMEOUT_MS));
      return { kind, namespace: namespace || null, name, wave, outcome: gone ? 'deleted' as const : 'deleting' as const };
    });
    deleted.push(...outcomes);
  }
  return deleted;
}

/** Polls until the object is gone; false when it is still there after `timeoutMs` (finalizers). */
async function goneWithin(read: () => Promise<KubeObject | undefined>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await read()) === undefined) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
