// Every function bundled as the stack bundles it (infra/function-bundles.ts), held to 1 MB, and loaded
// from a folder outside the project, where no node_modules can resolve an import the bundle forgot.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunctions, type FunctionBundle } from '../../infra/function-bundles.ts';
import { PROJECT_ROOT } from '../../infra/paths.ts';
import { FUNCTION_KEYS } from '../../shared/lambda/functions.ts';
import { ensureTable } from '../../shared/store/index.ts';
import { testDynamo } from '../helpers/dynamo.ts';

/** 1 MB, as the issue states it (1,048,576 bytes would be 1 MiB). */
const MAX_BUNDLE_BYTES = 1_000_000;
let outdir: string;
let isolated: string;
let bundles: FunctionBundle[];
before(() => {
  mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
  outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'bundles-'));
  isolated = mkdtempSync(join(tmpdir(), 'gitwave-bundles-'));
  bundles = bundleFunctions(outdir);
});
after(() => {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(isolated, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('bundle the AWS SDK and no Kubernetes client (Lambda reaches EKS over node:https)', () => {
    for (const b of bundles) {
      const code = readFileSync(b.file, 'utf8');
      assert.doesNotMatch(code, /from\s*"@aws-sdk\//, `${b.key} imports the SDK from the runtime`);
      assert.ok(!code.includes('@kubernetes/client-node'), `${b.key} carries @kubernetes/client-node`);
    }
  });

  it('load on their own, outside the project, and export a handler', async () => {
    for (const b of bundles) {
      const dir = join(isolated, b.key);
      mkdirSync(dir);
      copyFileSync(b.file, join(dir, 'index.mjs'));
      const module = await import(pathToFileURL(join(dir, 'index.mjs')).href);
      assert.equal(typeof module.handler, 'function', b.key);
    }
  });

  for (const key of FUNCTION_KEYS) {
    it(`${key} is at most 1 MB`, () => {
      const b = bundles.find((x) => x.key === key)!;
      assert.ok(b.bytes <= MAX_BUNDLE_BYTES, `${key}: ${b.bytes} bytes`);
    });
  }

  it('reach DynamoDB with the credentials Lambda sets, and only those (the bundled credential chain)', async () => {
    const dynamo = await testDynamo();
    const client = dynamo.client();
    try {
      await ensureTable(client, 'gitwave-bundle');
      const lock = bundles.find((b) => b.key === 'lock')!;
      const input = { action: 'acquire', cluster: 'dev', syncId: 'sync-1', owner: 'arn:writer:1', attempt: 1 };
      const env = { PATH: process.env.PATH, AWS_REGION: 'us-east-1', AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, TABLE_NAME: 'gitwave-bundle', LOCK_LEASE_SECONDS: '600', POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'SILENT' };
      const state = await invokeBundle(lock.file, input, { ...env, AWS_ACCESS_KEY_ID: dynamo.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: 'token' });
      assert.deepEqual(state, { ok: { acquired: true, attempt: 1, fence: 1 } });
      // With a profile and no role variables, the bundle does not go looking elsewhere: it says what is missing.
      const refused = await invokeBundle(lock.file, input, { ...env, AWS_PROFILE: 'default' });
      assert.match(String(refused.error), /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/);
    } finally {
      client.destroy();
      await dynamo.stop();
    }
  });
});

const INVOKE = `const { handler } = await import(process.argv[1]);
try { console.log(JSON.stringify({ ok: await handler(JSON.parse(process.argv[2]), { functionName: 'lock', awsRequestId: 'r1' }) })); }
catch (error) { console.log(JSON.stringify({ error: error.message })); }`;

/** Runs a bundle's handler once in a fresh process with exactly `env`: `{ ok: result }` or `{ error: message }`. */
async function invokeBundle(file: string, input: unknown, env: NodeJS.ProcessEnv): Promise<{ ok?: unknown; error?: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', INVOKE, pathToFileURL(file).href, JSON.stringify(input)], { env });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { ok?: unknown; error?: string };
}
