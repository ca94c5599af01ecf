/**
 * What a fresh cluster already holds: the four system namespaces, one Ready node (so DaemonSets have
 * somewhere to run and `kubectl get nodes` shows something), and the `kubernetes` Service.
 */
import type { Cluster } from './cluster.ts';
import type { Obj } from './store.ts';
import type { Writer } from './write.ts';

const MANAGER = { manager: 'kube-apiserver', dryRun: false };

function create(cluster: Cluster, writer: Writer, obj: Obj): void {
  const r = cluster.typeOf(obj)!;
  const saved = writer.commit(r, undefined, obj, MANAGER, 'main');
  if (obj.status) writer.commit(r, saved, { ...saved, status: obj.status }, MANAGER, 'status');
}

export const SIM_NODE = 'sim-node-1';

export function bootstrap(cluster: Cluster, writer: Writer): void {
  for (const name of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) {
    create(cluster, writer, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, status: { phase: 'Active' } });
  }
  const now = cluster.now();
  create(cluster, writer, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: SIM_NODE, labels: { 'kubernetes.io/hostname': SIM_NODE, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64' } },
    spec: {},
    status: {
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated node', lastHeartbeatTime: now, lastTransitionTime: now }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.10' }, { type: 'Hostname', address: SIM_NODE }],
      nodeInfo: { kubeletVersion: 'v1.32.0', operatingSystem: 'linux', architecture: 'amd64', containerRuntimeVersion: 'sim://1.0' },
      capacity: { cpu: '8', memory: '32Gi', pods: '250' },
      allocatable: { cpu: '8', memory: '32Gi', pods: '250' },
    },
  });
  create(cluster, writer, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] },
  });
}
