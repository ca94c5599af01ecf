/**
 * What Lambda bundles get for `@aws-sdk/credential-provider-node` (an esbuild alias in
 * infra/constructs/gitwave-function.ts): the SDK's default credential chain cut down to its first
 * link, the environment. Lambda always puts the execution role's credentials in
 * AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, so the rest of the chain (SSO,
 * profiles, processes, web identity, container and instance metadata: about 90 kB with the nested
 * STS and SSO clients) never runs there. The local runtime and the tests run the real chain.
 */
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** Same shape as the SDK's `defaultProvider(init)`; the options of the other links are not read. */
export const defaultProvider = (): AwsCredentialIdentityProvider => async () => credentialsFromEnv(process.env);

/** The variables Lambda sets for the function's role; an error naming them when they are not there. */
export function credentialsFromEnv(env: NodeJS.ProcessEnv): AwsCredentialIdentity {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new Error('no AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (a gitwave Lambda bundle reads only the credentials Lambda gives its role)');
  }
  const expiration = env.AWS_CREDENTIAL_EXPIRATION;
  return {
    accessKeyId,
    secretAccessKey,
    ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    ...(expiration ? { expiration: new Date(expiration) } : {}),
    ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
  };
}
