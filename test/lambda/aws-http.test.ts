// The AWS calls the functions make without an SDK client (shared/lambda/ports/aws-http.ts): S3
// GetObject/PutObject on fauxqs, read back through the S3 client, the same request line and signed
// headers as the S3 client sends, Lambda Invoke errors as AWS reports them, and retries of 5xx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFauxqs } from 'fauxqs';
import { createQueuesAndBucket, LOCAL_CREDENTIALS, LOCAL_NAMES } from '../../local/aws-resources.ts';
import { s3BlobStore } from '../../shared/engine/blob-store.ts';
import { AwsHttpError } from '../../shared/lambda/ports/aws-http.ts';
import { s3HttpBlobStore } from '../../shared/lambda/ports/aws-s3-blobs.ts';
import { lambdaInvoke } from '../../shared/lambda/ports/aws-lambda-invoke.ts';

const ENV_KEYS = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL_LAMBDA'] as const;
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
let fauxqs: Awaited<ReturnType<typeof startFauxqs>>;
let s3: S3Client;

before(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  createQueuesAndBucket(fauxqs);
  Object.assign(process.env, { AWS_REGION: LOCAL_NAMES.region, AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey, AWS_ENDPOINT_URL_S3: fauxqs.address });
  s3 = new S3Client({ endpoint: fauxqs.address, region: LOCAL_NAMES.region, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
});
after(async () => {
  s3.destroy();
  await fauxqs.stop();
  for (const key of ENV_KEYS) if (saved[key] === undefined) delete process.env[key]; else process.env[key] = saved[key];
});

/** A server that records each request and answers with `answer(n)` for the n-th one. */
async function recorder(answer: (n: number) => { status: number; headers?: Record<string, string>; body: string }) {
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const { status, headers, body } = answer(seen.length);
      res.writeHead(status, headers).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { seen, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('S3 without the S3 client', () => {
  it('puts and gets JSON that the S3 client reads and writes too, and a missing key is undefined', async () => {
    const mine = s3HttpBlobStore(LOCAL_NAMES.bucket);
    const sdk = s3BlobStore(s3, LOCAL_NAMES.bucket);
    await mine.put('plans/web/sync 1.json', '{"tasks":["é"]}');
    assert.equal(await sdk.get('plans/web/sync 1.json'), '{"tasks":["é"]}');
    await sdk.put('rendered/abc.json', '{"objects":[]}');
    assert.equal(await mine.get('rendered/abc.json'), '{"objects":[]}');
    assert.equal(await mine.get('rendered/none.json'), undefined);
  });

  it('says which bucket is missing instead of answering undefined', async () => {
    await assert.rejects(s3HttpBlobStore('no-such-bucket').get('x.json'), (error: AwsHttpError) => error.code === 'NoSuchBucket' && /S3 GetObject/.test(error.message));
  });

  it('sends the request line and signed headers the S3 client sends, with the body hash', async () => {
    const server = await recorder(() => ({ status: 200, body: '' }));
    try {
      process.env.AWS_ENDPOINT_URL_S3 = server.endpoint;
      await s3HttpBlobStore('b').put('plans/a b/c.json', '{}');
      const client = new S3Client({ endpoint: server.endpoint, region: LOCAL_NAMES.region, credentials: LOCAL_CREDENTIALS, forcePathStyle: true });
      await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'plans/a b/c.json', Body: '{}', ContentType: 'application/json' }));
      client.destroy();
      const [mine, sdk] = server.seen;
      // The SDK adds `?x-id=PutObject`, an unsigned hint S3 ignores.
      assert.equal(mine.url, sdk.url.replace('?x-id=PutObject', ''));
      assert.equal(mine.headers['x-amz-content-sha256'], createHash('sha256').update('{}').digest('hex'));
      const signed = (h: IncomingHttpHeaders) => /SignedHeaders=([^,]+)/.exec(String(h.authorization))![1].split(';');
      for (const header of ['host', 'x-amz-content-sha256', 'x-amz-date']) assert.ok(signed(mine.headers).includes(header) && signed(sdk.headers).includes(header), header);
    } finally {
      process.env.AWS_ENDPOINT_URL_S3 = fauxqs.address;
      await server.stop();
    }
  });
});

describe('Lambda Invoke without the Lambda client', () => {
  it('returns the answer and the function error as AWS reports them, and retries a 5xx', async () => {
    const server = await recorder((n) => n === 1 ? { status: 503, body: '{"message":"busy"}' }
      : n === 2 ? { status: 200, body: '{"ok":true}' }
        : { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"Error","errorMessage":"boom"}' });
    try {
      process.env.AWS_ENDPOINT_URL_LAMBDA = server.endpoint;
      const invoke = lambdaInvoke();
      assert.deepEqual(await invoke('gitwave-plan', '{"app":"web"}'), { payload: '{"ok":true}' });
      assert.deepEqual(await invoke('gitwave-plan', '{}'), { payload: '{"errorType":"Error","errorMessage":"boom"}', functionError: 'Unhandled' });
      assert.equal(server.seen[1].url, '/2015-03-31/functions/gitwave-plan/invocations');
      assert.equal(server.seen[1].headers['x-amz-invocation-type'], 'RequestResponse');
      assert.equal(server.seen[1].body, '{"app":"web"}');
    } finally {
      await server.stop();
    }
  });

  it('names the refusal of a call that is not a function error', async () => {
    const server = await recorder(() => ({ status: 404, headers: { 'x-amzn-errortype': 'ResourceNotFoundException:http://internal' }, body: '{"Message":"Function not found: x"}' }));
    try {
      process.env.AWS_ENDPOINT_URL_LAMBDA = server.endpoint;
      await assert.rejects(lambdaInvoke()('x', '{}'), /Lambda Invoke: ResourceNotFoundException \(HTTP 404\): Function not found: x/);
    } finally {
      await server.stop();
    }
  });
});
