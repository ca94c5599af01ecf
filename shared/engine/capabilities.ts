/**
 * The destination cluster's capabilities for Helm (`.Capabilities.KubeVersion`, `.APIVersions`), as
 * Argo CD passes them: the render step holds no cluster credentials (SECURITY.md §1), so the plan step,
 * which is connected anyway, records what discovery says (`/version`, `/api`, `/apis`) at most once an
 * hour per cluster, and the render step hands the record to helm. An Application's own
 * `helm.kubeVersion` / `apiVersions` still win; before the first plan on a cluster, helm's defaults apply.
 */
import type { ClusterClient } from '../kube/index.ts';
import type { RegistryStore, StoredCapabilities } from '../store/ports.ts';
import type { EngineLog } from './deps.ts';

/** How long a record is trusted before the plan step asks discovery again. */
export const CAPABILITIES_MAX_AGE_MS = 60 * 60 * 1000;

/**
 * Asks discovery again when the record is missing or older than an hour; a failure is logged, never fatal.
 * @example await refreshCapabilities({ store, now: Date.now }, 'prod', kube);
 */
export async function refreshCapabilities(
  deps: { store: Pick<RegistryStore, 'getClusterCapabilities' | 'putClusterCapabilities'>; now: number; log?: EngineLog }, cluster: string, kube: ClusterClient,
): Promise<void> {
  if (!kube.capabilities) return;
  const stored = await deps.store.getClusterCapabilities(cluster);
  if (stored && deps.now - Date.parse(stored.observedAt) < CAPABILITIES_MAX_AGE_MS) return;
  try {
    const found = await kube.capabilities();
    if (!found.kubeVersion) return;
    await deps.store.putClusterCapabilities(cluster, { ...found, observedAt: new Date(deps.now).toISOString() });
  } catch (error) {
    deps.log?.('warn', 'cluster capabilities not read; helm keeps the last ones', { cluster, reason: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The render request's `cluster` from a record (undefined when there is none yet).
 * @example helmCapabilities(await store.getClusterCapabilities('prod')) // { kubeVersion: 'v1.32.3', apiVersions: [...] }
 */
export function helmCapabilities(stored: StoredCapabilities | undefined): { kubeVersion: string; apiVersions: string[] } | undefined {
  return stored ? { kubeVersion: stored.kubeVersion, apiVersions: stored.apiVersions } : undefined;
}
