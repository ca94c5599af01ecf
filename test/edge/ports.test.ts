// The small edge ports on their own: the cached secret reader against the Secrets Manager stand-in,
// Git tokens by host, loopback detection for the GitHub API base, one-off image overrides on top of
// an Application's kustomize images, and the queue's dedupe ids.
import './helpers/quiet.ts';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startSecretsManager } from '../../local/stubs/secrets-manager.ts';
import { cachedSecret, gitTokenOf, SecretUnavailableError } from '../../shared/engine/secrets.ts';
import { isLoopbackUrl } from '../../shared/engine/edge-deps.ts';
import { withOverrides, RenderTargetError } from '../../shared/engine/render-request-target.ts';
import { dedupeIdOf } from '../../shared/engine/request-queue.ts';
import { parseApplication } from '../../shared/model/application.ts';
import { applicationYaml } from './helpers/repo.ts';

describe('edge ports', () => {
  it('reads a secret once per cache period, names only the secret id when it cannot', async () => {
    const sm = await startSecretsManager([{ name: 'gitwave/webhook', value: 's3cret-value' }]);
    const client = new SecretsManagerClient({ endpoint: sm.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'l', secretAccessKey: 'l' } });
    try {
      let now = 0;
      let calls = 0;
      const send = client.send.bind(client);
      client.send = ((command: never) => { calls++; return send(command); }) as typeof client.send;
      const secret = cachedSecret(client, 'gitwave/webhook', 1000, () => now);
      assert.equal(await secret(), 's3cret-value');
      assert.equal(await secret(), 's3cret-value');
      assert.equal(calls, 1);
      now = 1001;
      await secret();
      assert.equal(calls, 2);
      await assert.rejects(cachedSecret(client, 'missing')(), (e: unknown) => e instanceof SecretUnavailableError && !String(e).includes('s3cret'));
    } finally {
      client.destroy();
      await sm.stop();
    }
  });

  it('finds the Git token for a host in JSON, takes a bare token for every host, and none in {}', () => {
    assert.equal(gitTokenOf('{"github.com":"ghs_abc"}', 'github.com'), 'ghs_abc');
    assert.equal(gitTokenOf('{"github.com":"ghs_abc"}', 'ghe.example.com'), undefined);
    assert.equal(gitTokenOf('ghp_bare', 'github.com'), 'ghp_bare');
    assert.equal(gitTokenOf('{}', 'github.com'), undefined);
    assert.throws(() => gitTokenOf('{not json', 'github.com'), SecretUnavailableError);
  });

  it('allows plain http only for a GitHub API base on loopback', () => {
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:1', 'http://[::1]:9']) assert.equal(isLoopbackUrl(url), true, url);
    for (const url of ['https://api.github.com', 'http://127.0.0.1.evil.example', 'http://10.0.0.1']) assert.equal(isLoopbackUrl(url), false, url);
  });

  it('puts one-off image overrides on top of the Application\'s own kustomize images', () => {
    const app = parseApplication(applicationYaml('web').replace('path: app }', 'path: app, kustomize: { images: ["ghcr.io/acme/web:1.0.0", "ghcr.io/acme/db:2"] } }'), 'a.yaml');
    const source = withOverrides('web', app.spec.source, { kustomize: { images: ['ghcr.io/acme/web=ghcr.io/acme/web:dev-42'] } });
    assert.deepEqual(source.kustomize?.images, ['ghcr.io/acme/db:2', 'ghcr.io/acme/web=ghcr.io/acme/web:dev-42']);
    assert.equal(withOverrides('web', app.spec.source, undefined), app.spec.source);
    const directory = parseApplication(applicationYaml('d').replace('path: app }', 'path: app, directory: { recurse: true } }'), 'a.yaml');
    assert.throws(() => withOverrides('d', directory.spec.source, { images: ['x=y:1'] }), RenderTargetError);
  });

  it('gives a push and the sweep that noticed the same commit one dedupe id; a manual request its own', () => {
    const sha = 'a'.repeat(40);
    assert.equal(dedupeIdOf({ app: 'web', sha, deliveryId: 'd1', trigger: 'webhook' }), dedupeIdOf({ app: 'web', sha, trigger: 'drift' }));
    assert.notEqual(dedupeIdOf({ app: 'web', sha }), dedupeIdOf({ app: 'api', sha }));
    assert.notEqual(dedupeIdOf({ app: 'web', requestId: 'r1' }), dedupeIdOf({ app: 'web', requestId: 'r2' }));
  });
});
