/**
 * Secrets read at run time from Secrets Manager (the functions get ARNs, never values): a value is
 * cached for a few minutes per process, so a warm Lambda does not call the service per request and a
 * rotated secret is still picked up. Values are never logged and never part of an error message.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** How long a value is reused. */
export const SECRET_CACHE_MS = 5 * 60_000;

/** The secret could not be read; the message names the secret's id, never a value. */
export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}

/**
 * A reader of one secret's string, cached for `ttlMs`.
 * @example const secret = cachedSecret(new SecretsManagerClient({}), arn); const hmacKey = await secret();
 */
export function cachedSecret(client: SecretsManagerClient, secretId: string, ttlMs = SECRET_CACHE_MS, now = Date.now): () => Promise<string> {
  let cached: { value: Promise<string>; until: number } | undefined;
  return () => {
    if (cached && cached.until > now()) return cached.value;
    const value = read(client, secretId);
    cached = { value, until: now() + ttlMs };
    value.catch(() => { cached = undefined; });
    return value;
  };
}

async function read(client: SecretsManagerClient, secretId: string): Promise<string> {
  let answer;
  try {
    answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  } catch (error) {
    throw new SecretUnavailableError(`secret ${secretId} could not be read: ${(error as Error).name}`);
  }
  if (typeof answer.SecretString !== 'string' || answer.SecretString === '') throw new SecretUnavailableError(`secret ${secretId} has no string value`);
  return answer.SecretString;
}

/**
 * The Git token for `host` in the Git tokens secret: JSON keyed by host (`{"github.com": "ghs_…"}`),
 * or a bare token for every host; undefined when none is set (public repositories).
 * @example gitTokenOf('{"github.com":"t"}', 'github.com') // 't'
 */
export function gitTokenOf(secretString: string, host: string): string | undefined {
  const text = secretString.trim();
  if (!text.startsWith('{')) return text === '' ? undefined : text;
  let tokens: unknown;
  try {
    tokens = JSON.parse(text);
  } catch {
    throw new SecretUnavailableError('the git tokens secret is not valid json');
  }
  const token = (tokens as Record<string, unknown>)[host];
  return typeof token === 'string' && token !== '' ? token : undefined;
}
