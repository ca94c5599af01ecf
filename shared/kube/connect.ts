/**
 * Building a `KubeClusterClient`: from a kubeconfig context (local development against kind or
 * minikube, and how the local runtime points at the simulator), or for an EKS cluster (describe,
 * optional assume-role, in-process token: connect-eks.ts, which Lambda bundles import alone).
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KubeClusterClient, type KubeClientOptions } from './client.ts';
import { TerminalClusterError } from './errors.ts';
import { KubeTransport, type TransportOptions } from './transport.ts';

export { connectEks, type EksConnectOptions } from './connect-eks.ts';

export interface KubeconfigConnectOptions extends KubeClientOptions, Omit<TransportOptions, 'bearer'> {
  /** The kubeconfig file; default: `$KUBECONFIG` or `~/.kube/config` (as kubectl). */
  path?: string;
  /** The context; default: the file's current context. */
  context?: string;
}

/**
 * A client for a kubeconfig context. The context's namespace becomes the default namespace.
 * @example const kube = connectKubeconfig({ path: sim.kubeconfigPath });
 */
export function connectKubeconfig(options: KubeconfigConnectOptions = {}): KubeClusterClient {
  const kc = new KubeConfig();
  if (options.path) kc.loadFromFile(options.path);
  else kc.loadFromDefault();
  if (options.context) {
    if (!kc.getContextObject(options.context)) {
      throw new TerminalClusterError(`failed to load kubeconfig: no context ${JSON.stringify(options.context)}`);
    }
    kc.setCurrentContext(options.context);
  }
  const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace;
  const transport = new KubeTransport(kc, options);
  return new KubeClusterClient(transport, { defaultNamespace: namespace, ...options });
}
