/**
 * A local stand-in for AWS Secrets Manager (no local server exists for it): `GetSecretValue` over
 * the service's JSON 1.1 wire protocol, for the secrets the local runtime creates (the webhook
 * secret, Git tokens). Values live only in memory and in the runtime's 0600 files.
 */
import { AwsServiceError, startStubServer, targetOperation, type StubServer } from './http-json.ts';

export interface LocalSecret {
  name: string;
  value: string;
}

const arnOf = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:${name}`;

export async function startSecretsManager(secrets: LocalSecret[]): Promise<StubServer & { arnOf(name: string): string }> {
  const byId = new Map<string, LocalSecret>();
  for (const s of secrets) {
    byId.set(s.name, s);
    byId.set(arnOf(s.name), s);
  }
  const server = await startStubServer(async (req, body) => {
    const operation = targetOperation(req);
    if (operation !== 'GetSecretValue') throw new AwsServiceError('UnknownOperationException', `${operation} is not supported locally`);
    const { SecretId } = JSON.parse(body.toString('utf8') || '{}') as { SecretId?: string };
    const secret = SecretId ? byId.get(SecretId) : undefined;
    if (!secret) throw new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    return {
      body: {
        ARN: arnOf(secret.name),
        Name: secret.name,
        SecretString: secret.value,
        VersionId: 'local',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 0,
      },
    };
  }, 'application/x-amz-json-1.1');
  return { ...server, arnOf };
}
