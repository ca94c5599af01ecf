// The credential chain Lambda bundles use in place of the SDK's default one
// (shared/lambda/bundling/credentials.ts): the variables Lambda sets, or an error naming them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentialsFromEnv, defaultProvider } from '../../shared/lambda/bundling/credentials.ts';

describe('Lambda bundle credentials', () => {
  it('reads the role credentials Lambda puts in the environment', () => {
    const env = { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token', AWS_CREDENTIAL_EXPIRATION: '2026-12-05T18:00:00Z' };
    assert.deepEqual(credentialsFromEnv(env), {
      accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2026-12-05T18:00:00Z'),
    });
  });

  it('names the missing variables and shows no secret', () => {
    assert.throws(() => credentialsFromEnv({ AWS_SECRET_ACCESS_KEY: 'hunter2' }), (error: Error) =>
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/.test(error.message) && !error.message.includes('hunter2'));
  });

  it('reads the environment on each call, as the SDK refreshes expired credentials', async () => {
    const provider = defaultProvider();
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, key: process.env.AWS_SECRET_ACCESS_KEY };
    try {
      process.env.AWS_ACCESS_KEY_ID = 'first';
      process.env.AWS_SECRET_ACCESS_KEY = 'k';
      assert.equal((await provider()).accessKeyId, 'first');
      process.env.AWS_ACCESS_KEY_ID = 'second';
      assert.equal((await provider()).accessKeyId, 'second');
    } finally {
      restore('AWS_ACCESS_KEY_ID', saved.id);
      restore('AWS_SECRET_ACCESS_KEY', saved.key);
    }
  });
});

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
