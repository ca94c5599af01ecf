/**
 * shared/kube — the cluster client. Handlers and the local runtime import from here only:
 * the `ClusterClient` port and its result types, the EKS connection (kubeconfig: ./connect.ts), the
 * error classes that decide retries, and the EKS token for the rare caller that needs it directly.
 */
export {
  FIELD_MANAGER,
  HOOK_FINALIZER,
  deletionState,
  refOf,
  type ApplyOptions,
  type ApplyResult,
  type ClusterCapabilities,
  type ClusterClient,
  type DeleteOptions,
  type DeleteResult,
  type FieldConflict,
  type ListOptions,
  type ObjectRef,
  type PropagationPolicy,
  type RetryListener,
  type RetryNotice,
  type TypeRef,
} from './port.ts';
export { KubeClusterClient, type KubeClientOptions } from './client.ts';
export { connectEks, type EksConnectOptions } from './connect-eks.ts';
// connectKubeconfig (connect.ts) is imported from its own module: it loads @kubernetes/client-node,
// which the Lambda functions (EKS only) must not carry.
export type { KubeconfigConnectOptions } from './connect.ts';
export type { ResourceMapping } from './discovery.ts';
export {
  ClusterAuthError,
  ClusterError,
  DryRunRefusedError,
  KindNotServedError,
  NamespaceNotFoundError,
  TerminalClusterError,
  TransientClusterError,
} from './errors.ts';
export { DEFAULT_RETRY_POLICY, type RetryEnv, type RetryPolicy } from './retry.ts';
export { EksToken, EksTokenSource, mintEksToken } from './eks/token.ts';
export { describeEksCluster, assumeRoleCredentials, sessionNameOf, type EksClusterInfo } from './eks/aws.ts';
