import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import aws4 from 'aws4';
import { EksToken, EksTokenSource, mintEksToken, TOKEN_PREFIX } from '../../shared/kube/eks/token.ts';

// Fixed, made-up credentials and date so the signature can be recomputed independently.
const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'FwoGZXIvYXdzEXAMPLESESSION/TOKEN+WITH=SYMBOLS',
};
const signingDate = new Date('2024-05-06T07:08:09.500Z');

function decode(token: EksToken): URL {
  const raw = token.value();
  assert.ok(raw.startsWith(TOKEN_PREFIX), 'token has the k8s-aws-v1. prefix');
  const encoded = raw.slice(TOKEN_PREFIX.length);
  assert.doesNotMatch(encoded, /[=+/]/, 'base64url without padding');
  return new URL(Buffer.from(encoded, 'base64url').toString('utf8'));
}

describe('mintEksToken', () => {
  it('presigns GetCallerIdentity on the regional STS host with the cluster name as a signed header', async () => {
    // Act
    const token = await mintEksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials, signingDate });
    const url = decode(token);
    // Assess
    assert.equal(url.protocol, 'https:');
    assert.equal(url.host, 'sts.eu-west-1.amazonaws.com');
    assert.equal(url.pathname, '/');
    const q = url.searchParams;
    assert.equal(q.get('Action'), 'GetCallerIdentity');
    assert.equal(q.get('Version'), '2011-06-15');
    assert.equal(q.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.equal(q.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
    assert.equal(q.get('X-Amz-Expires'), '60');
    assert.equal(q.get('X-Amz-Date'), '20240506T070809Z');
    assert.equal(q.get('X-Amz-Credential'), 'AKIDEXAMPLE/20240506/eu-west-1/sts/aws4_request');
    assert.equal(q.get('X-Amz-Security-Token'), credentials.sessionToken);
    assert.match(q.get('X-Amz-Signature') ?? '', /^[0-9a-f]{64}$/);
    assert.equal(token.expiresAt.toISOString(), '2024-05-06T07:23:09.000Z', '15 minutes from X-Amz-Date');
  });

  it('produces the same SigV4 signature as the independent aws4 implementation', async () => {
    // Prepare
    const token = await mintEksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials, signingDate });
    const ours = decode(token).searchParams;
    // Act: aws4 signs the same request (same query, header, credentials and date) on its own.
    const signed = aws4.sign(
      {
        host: 'sts.eu-west-1.amazonaws.com',
        path: '/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Expires=60&X-Amz-Date=20240506T070809Z',
        service: 'sts',
        region: 'eu-west-1',
        signQuery: true,
        headers: { 'x-k8s-aws-id': 'prod-eu' },
      },
      credentials,
    );
    const theirs = new URL(`https://${signed.host}${signed.path}`).searchParams;
    // Assess
    assert.equal(theirs.get('X-Amz-SignedHeaders'), 'host;x-k8s-aws-id');
    assert.equal(ours.get('X-Amz-Signature'), theirs.get('X-Amz-Signature'));
  });

  it('signs a different cluster name into a different signature', async () => {
    const a = decode(await mintEksToken({ clusterName: 'a', region: 'us-east-1', credentials, signingDate }));
    const b = decode(await mintEksToken({ clusterName: 'b', region: 'us-east-1', credentials, signingDate }));
    assert.notEqual(a.searchParams.get('X-Amz-Signature'), b.searchParams.get('X-Amz-Signature'));
  });

  it('uses the China partition host for cn- regions', async () => {
    const url = decode(await mintEksToken({ clusterName: 'c', region: 'cn-north-1', credentials, signingDate }));
    assert.equal(url.host, 'sts.cn-north-1.amazonaws.com.cn');
  });

  it('never shows the token through JSON, inspect or string conversion', async () => {
    const token = await mintEksToken({ clusterName: 'prod-eu', region: 'eu-west-1', credentials, signingDate });
    const secret = token.value();
    for (const shown of [JSON.stringify({ token }), inspect(token), `${token}`, inspect({ nested: { token } })]) {
      assert.ok(!shown.includes(secret.slice(TOKEN_PREFIX.length, 40)), `leaked in: ${shown}`);
      assert.match(shown, /redacted/);
    }
  });
});

describe('EksTokenSource', () => {
  it('reuses a token until two minutes before its 15-minute end, then mints a new one', async () => {
    // Prepare
    let now = new Date('2024-05-06T07:00:00Z');
    const source = new EksTokenSource({ clusterName: 'prod', region: 'us-east-1', credentials }, () => now);
    const first = await source.token();
    // Act + Assess
    now = new Date('2024-05-06T07:12:59Z');
    assert.equal(await source.token(), first, 'still fresh with 2 min 1 s left');
    now = new Date('2024-05-06T07:13:00Z');
    const second = await source.token();
    assert.notEqual(second, first, 'replaced at 2 minutes before the end');
    assert.equal(second.issuedAt.toISOString(), '2024-05-06T07:13:00.000Z');
  });

  it('shares one mint between concurrent callers and mints anew on refresh', async () => {
    const source = new EksTokenSource({ clusterName: 'prod', region: 'us-east-1', credentials });
    const [a, b] = await Promise.all([source.token(), source.token()]);
    assert.equal(a, b);
    const c = await source.refresh();
    assert.notEqual(c, a);
    assert.equal(await source.token(), c);
  });
});
