/**
 * Building a `KubeClusterClient`: from a kubeconfig context (local development against kind or
 * minikube, and how the local runtime points at the simulator), or for an EKS cluster (describe,
 * optional assume-role, in-process token).
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import { KubeConfig } from '@kubernetes/client-node';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { KubeClusterClient, type KubeClientOptions } from './client.ts';
import { TerminalClusterError } from './errors.ts';
import { assumeRoleCredentials, describeEksCluster } from './eks/aws.ts';
import { EksTokenSource } from './eks/token.ts';
import { KubeTransport, type TransportOptions } from './transport.ts';

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

export interface EksConnectOptions extends KubeClientOptions, Omit<TransportOptions, 'bearer'> {
  clusterName: string;
  region: string;
  /** Assume this role first (the `gitwave-deployer-<cluster>` role); its session is named after `syncId`. */
  roleArn?: string;
  /** The sync (or task) id, used as RoleSessionName. Required with `roleArn`. */
  syncId?: string;
  /** Base credentials; default: the SDK's default chain (the Lambda role). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Service endpoints other than AWS's (tests point them at a local stand-in). */
  endpoints?: { eks?: string; sts?: string };
}

/**
 * A client for an EKS cluster: AssumeRole (optional) → DescribeCluster → bearer tokens minted in-process.
 * @example const kube = await connectEks({ clusterName: 'prod', region: 'eu-west-1', roleArn, syncId });
 */
export async function connectEks(options: EksConnectOptions): Promise<KubeClusterClient> {
  const { region, endpoints } = options;
  const sts = new STSClient({ region, credentials: options.credentials, endpoint: endpoints?.sts });
  const base = options.credentials;
  let credentials: AwsCredentialIdentityProvider = typeof base === 'object' ? async () => base : (base ?? sts.config.credentials);
  if (options.roleArn) {
    if (!options.syncId) throw new TerminalClusterError(`failed to connect to eks cluster ${options.clusterName}: a sync id is required to assume ${options.roleArn}`);
    credentials = assumeRoleCredentials(sts, options.roleArn, options.syncId);
  }
  const eks = new EKSClient({ region, credentials, endpoint: endpoints?.eks });
  const info = await describeEksCluster(eks, options.clusterName);
  const kc = new KubeConfig();
  kc.loadFromClusterAndUser({ name: info.name, server: info.endpoint, caData: info.caData, skipTLSVerify: false }, { name: 'gitwave' });
  const bearer = new EksTokenSource({ clusterName: options.clusterName, region, credentials });
  const transport = new KubeTransport(kc, { ...options, bearer });
  return new KubeClusterClient(transport, options);
}
