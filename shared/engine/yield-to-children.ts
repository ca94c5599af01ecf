/**
 * App of apps on one cluster (docs/app-of-apps.md): a parent that waits for its child Applications
 * (`gitwave.dev/wait-for-children`) while their syncs are queued on its own cluster would wait until
 * its time limit, since the cluster's writer claims them only when its running round ends, and the
 * parent is in that round. So the parent gives its place back: its pending item stays in the queue,
 * parked and with its run counted (shared/store/pending.ts), its execution ends, and the writer's next
 * round runs the children beside it and resumes the parent from its operation record.
 */
import { groupOf, type KubeObject } from '../model/object.ts';
import type { Store } from '../store/ports.ts';

/**
 * The waited-for child Applications whose sync is queued on `cluster` and not running: parked, or
 * not yet started by any writer round (no operation recorded for it). A child being synced now is
 * left to finish; one whose sync is not requested (yet) is not the writer's to run.
 * @example await childrenQueuedBehind(store, 'dev', stillPending) // ['first']
 */
export async function childrenQueuedBehind(store: Pick<Store, 'getPending' | 'getOperation'>, cluster: string, waitingOn: readonly KubeObject[]): Promise<string[]> {
  const children = waitingOn.filter((o) => o.kind === 'Application' && groupOf(o.apiVersion) === 'argoproj.io').map((o) => o.metadata?.name ?? '');
  const queued = await Promise.all(children.map(async (name) => {
    const pending = await store.getPending(cluster, name);
    if (!pending) return false;
    return pending.parked === true || (await store.getOperation(name, pending.syncId)) === undefined;
  }));
  return children.filter((_, i) => queued[i]);
}
