/**
 * The cluster connector, for the functions that reach clusters (plan, apply-wave, check-wave,
 * drift, api). It lives apart from shared/lambda/runtime.ts so that the other functions' bundles
 * carry no Kubernetes client.
 */
import { connectEks, type ClusterClient } from '../../kube/connect-eks.ts';
import type { Cluster } from '../../model/cluster.ts';
import type { ClusterConnector } from '../../engine/deps.ts';

/**
 * Connects to registered clusters, one client per cluster and purpose, made again when the
 * registration changes. A kubeconfig cluster (the simulator, kind) needs no AWS at all.
 */
export function cachedConnector(): ClusterConnector {
  const clients = new Map<string, { spec: string; client: Promise<ClusterClient> }>();
  return (cluster, options) => {
    const key = `${cluster.name}:${options.purpose}`;
    const spec = JSON.stringify(cluster.connection);
    const cached = clients.get(key);
    if (cached && cached.spec === spec) return cached.client;
    const client = connect(cluster, options.purpose, options.syncId);
    clients.set(key, { spec, client });
    client.catch(() => clients.delete(key));
    return client;
  };
}

async function connect(cluster: Cluster, purpose: 'deploy' | 'read', syncId?: string): Promise<ClusterClient> {
  const c = cluster.connection;
  if (c.type === 'kubeconfig') return (await kubeconfigModule(cluster.name)).connectKubeconfig({ path: c.path, context: c.context });
  const roleArn = purpose === 'read' ? c.readOnlyRoleArn ?? c.roleArn : c.roleArn;
  return connectEks({ clusterName: c.clusterName, region: c.region, ...(roleArn ? { roleArn, syncId: syncId ?? `gitwave-${purpose}` } : {}) });
}

/**
 * Kubeconfig clusters are for the local runtime and tests. The module (and `@kubernetes/client-node`
 * with undici, 1.1 MB) is named by a computed URL so that esbuild leaves it out of Lambda bundles,
 * which reach EKS only; there the import fails and says so.
 */
const KUBECONFIG_MODULE = new URL('../../kube/connect.ts', import.meta.url).href;

async function kubeconfigModule(cluster: string): Promise<typeof import('../../kube/connect.ts')> {
  try {
    return (await import(KUBECONFIG_MODULE)) as typeof import('../../kube/connect.ts');
  } catch (error) {
    throw new Error(`cluster ${cluster}: kubeconfig clusters are served by the local runtime only; a deployed function reaches EKS clusters (type "eks")`, { cause: error });
  }
}
