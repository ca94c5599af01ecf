/**
 * A client for an EKS cluster: AssumeRole (optional) → DescribeCluster → bearer tokens minted
 * in-process, over `node:https` with the cluster's CA (HttpsTransport). Nothing here loads
 * `@kubernetes/client-node`, so the Lambda functions that reach clusters stay small.
 */
import { EKSClient } from '@aws-sdk/client-eks';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { KubeClusterClient, type KubeClientOptions } from './client.ts';
import { TerminalClusterError } from './errors.ts';
import { assumeRoleCredentials, describeEksCluster } from './eks/aws.ts';
import { EksTokenSource } from './eks/token.ts';
import { HttpsTransport } from './https-transport.ts';
import type { TransportOptions } from './exchange.ts';

export type { ClusterClient } from './port.ts';

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
  const bearer = new EksTokenSource({ clusterName: options.clusterName, region, credentials });
  const ca = Buffer.from(info.caData, 'base64').toString('utf8');
  const transport = new HttpsTransport({ server: info.endpoint, ca, bearer, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  return new KubeClusterClient(transport, options);
}
