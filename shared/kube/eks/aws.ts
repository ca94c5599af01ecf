/**
 * The two AWS calls behind an EKS connection (SECURITY.md §5): `sts:AssumeRole` into the cluster's
 * deployer role, with the sync id as RoleSessionName so CloudTrail and the cluster's audit log tie
 * back to the sync, and `eks:DescribeCluster` for the endpoint and CA. SDK clients may be passed in
 * (tests point them at a local stand-in; handlers share traced clients).
 */
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ClusterAuthError, TerminalClusterError, TransientClusterError } from '../errors.ts';

export interface EksClusterInfo {
  name: string;
  /** The API server URL, `https://….eks.amazonaws.com`. */
  endpoint: string;
  /** The cluster CA bundle, base64 PEM as DescribeCluster returns it. */
  caData: string;
}

/** A RoleSessionName AWS accepts (`[\w+=,.@-]{2,64}`), made from a sync id. */
export function sessionNameOf(syncId: string): string {
  const cleaned = syncId.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `gitwave-${cleaned}`;
}

/** Refresh assumed-role credentials this long before they expire. */
const CREDENTIAL_MARGIN_MS = 5 * 60_000;

/**
 * A credentials provider that assumes `roleArn` and reuses the result until 5 minutes before it
 * expires. Concurrent callers share one AssumeRole call.
 */
export function assumeRoleCredentials(sts: STSClient, roleArn: string, syncId: string): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const out = await awsCall(`assume role ${roleArn}`, () =>
      sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: sessionNameOf(syncId), DurationSeconds: 3600 })),
    );
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) throw new ClusterAuthError(`failed to assume role ${roleArn}: no credentials returned`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  };
  return async () => {
    const fresh = current?.expiration ? current.expiration.getTime() - CREDENTIAL_MARGIN_MS > Date.now() : Boolean(current);
    if (current && fresh) return current;
    pending ??= assume().then((c) => (current = c)).finally(() => (pending = undefined));
    return pending;
  };
}

/** Endpoint and CA of a cluster. */
export async function describeEksCluster(eks: EKSClient, name: string): Promise<EksClusterInfo> {
  const out = await awsCall(`describe eks cluster ${name}`, () => eks.send(new DescribeClusterCommand({ name })));
  const endpoint = out.cluster?.endpoint;
  const caData = out.cluster?.certificateAuthority?.data;
  if (!endpoint || !caData) {
    throw new TerminalClusterError(`failed to describe eks cluster ${name}: no endpoint or certificate authority (status ${out.cluster?.status ?? 'unknown'})`);
  }
  return { name, endpoint, caData };
}

/** Runs one AWS call, turning its failure into the cluster client's error classes. */
async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
    const code = e.$metadata?.httpStatusCode;
    const message = `failed to ${what}: ${(e.name ?? 'error').toLowerCase()}${e.message ? `: ${e.message}` : ''}`;
    if (code === 401 || code === 403 || e.name === 'AccessDenied' || e.name === 'AccessDeniedException') {
      throw new ClusterAuthError(message, { code, cause: err });
    }
    if (code === undefined || code >= 500 || code === 429 || e.$retryable) throw new TransientClusterError(message, { code, cause: err });
    throw new TerminalClusterError(message, { code, cause: err });
  }
}
