/**
 * Bundles every gitwave function exactly as the stack does (GitwaveFunction in `esbuild` mode, so the
 * same NodejsFunction options), in a stack of its own with nothing else, and says where each bundle
 * landed. The bundle-size test and the Lambda benchmark read the bundles from here, so what they
 * measure is what `cdk deploy` uploads.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { FUNCTION_ENV, FUNCTION_KEYS, type FunctionKey } from '../shared/lambda/functions.ts';
import type { EnvName } from '../shared/config/env.ts';
import { GitwaveFunction } from './constructs/gitwave-function.ts';

export interface FunctionBundle {
  key: FunctionKey;
  /** The bundle's entry module (`index.mjs`) in the cloud assembly. */
  file: string;
  bytes: number;
}

/** Synthesizes the functions into `outdir` (a fresh directory) and returns one bundle per function key. */
export function bundleFunctions(outdir: string, keys: readonly FunctionKey[] = FUNCTION_KEYS): FunctionBundle[] {
  const app = new App({ outdir });
  const stack = new Stack(app, 'GitwaveBundles', { env: { account: '111111111111', region: 'us-east-1' } });
  const environment = Object.fromEntries(Object.values(FUNCTION_ENV).flat().map((name: EnvName) => [name, 'x']));
  const functions = keys.map((key) => new GitwaveFunction(stack, `Fn-${key}`, { key, description: key, codeMode: 'esbuild', environment }));
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as { Resources: Record<string, { Properties?: { Code?: { S3Key?: string } } }> };
  return functions.map((fn) => {
    const id = stack.getLogicalId((fn.function as lambda.Function).node.defaultChild as never);
    const key = template.Resources[id]?.Properties?.Code?.S3Key;
    if (!key) throw new Error(`function ${fn.key}: no asset in the synthesized template`);
    const file = join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'index.mjs');
    return { key: fn.key, file, bytes: statSync(file).size };
  });
}
