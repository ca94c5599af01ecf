/**
 * Carrying out one action of a tick (shared/sync actions) through the ClusterClient port, with the
 * errors sorted as SECURITY.md §6 says: a permanent refusal (400, 403, 422, a kind not served…)
 * becomes a failed outcome carrying the API server's message, so the resource fails and the sync
 * moves on to SyncFail; a transient one (5xx, 429, timeouts, after the client's own retries) is
 * thrown, so Step Functions retries the whole idempotent task.
 */
import type { Action, ActionOutcome, ApplyAction, DeleteAction, RemoveFinalizerAction } from '../sync/actions.ts';
import type { PropagationPolicy } from '../sync/types.ts';
import { DryRunRefusedError, TerminalClusterError, type ClusterClient, type ObjectRef } from '../kube/index.ts';

const POLICIES: Record<PropagationPolicy, 'Foreground' | 'Background' | 'Orphan'> = {
  foreground: 'Foreground',
  background: 'Background',
  orphan: 'Orphan',
};

function refOf(action: DeleteAction | RemoveFinalizerAction): ObjectRef {
  const { group, kind, namespace, name } = action.key;
  const version = action.apiVersion.includes('/') ? action.apiVersion.split('/')[1] : action.apiVersion;
  return { group, version, kind, namespace: namespace || undefined, name };
}

async function apply(kube: ClusterClient, action: ApplyAction): Promise<ActionOutcome> {
  try {
    const result = action.dryRun ? await kube.dryRunApply(action.object) : await kube.apply(action.object);
    return { ok: true, message: result.message };
  } catch (error) {
    // A webhook with side effects refuses dry runs: the outcome is unknown, not a failure (SECURITY.md §6).
    if (action.dryRun && error instanceof DryRunRefusedError) return { ok: true, message: error.message };
    throw error;
  }
}

async function remove(kube: ClusterClient, action: DeleteAction): Promise<ActionOutcome> {
  const result = await kube.delete(refOf(action), { propagationPolicy: POLICIES[action.propagationPolicy] });
  return { ok: true, message: result.outcome === 'not-found' ? 'already gone' : result.message };
}

async function stripFinalizer(kube: ClusterClient, action: RemoveFinalizerAction): Promise<ActionOutcome> {
  const removed = await kube.removeFinalizer(refOf(action), action.finalizer);
  return { ok: true, message: removed ? `removed ${action.finalizer}` : `${action.finalizer} already absent` };
}

/**
 * Performs one action. Permanent cluster errors come back as `{ ok: false, message }`; anything else
 * (transient cluster errors included) is thrown.
 * @example const outcome = await performAction(kube, action);
 */
export async function performAction(kube: ClusterClient, action: Action): Promise<ActionOutcome> {
  try {
    switch (action.type) {
      case 'apply':
        return await apply(kube, action);
      case 'delete':
        return await remove(kube, action);
      case 'remove-finalizer':
        return await stripFinalizer(kube, action);
    }
  } catch (error) {
    if (error instanceof TerminalClusterError) return { ok: false, message: error.message };
    throw error;
  }
}
