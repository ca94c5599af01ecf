/**
 * Running the real kustomize: `kustomize build` when a kustomize binary is on PATH, else
 * `kubectl kustomize`. Always an argv array (no shell), with the load restrictor explicitly on and
 * never a flag that enables Helm, exec plugins, KRM functions, networks or mounts. The child gets an
 * empty environment except for a scratch HOME, no PATH (so a Git clone cannot start) and a proxy
 * that refuses every connection (so no URL can be fetched): a second wall behind the pre-build scan.
 * A time limit and an output cap bound each run.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { renderError, sanitizeMessage } from './errors.ts';

/** How to invoke kustomize: an executable and the arguments that come before the folder. */
export interface KustomizeCommand {
  executable: string;
  args: readonly string[];
  /** `kustomize` or `kubectl kustomize`, for messages. */
  label: string;
}

const FIXED_FLAGS = ['--load-restrictor', 'LoadRestrictionsRootOnly'];
const MAX_STDERR = 64 * 1024;

/**
 * The kustomize to run, found on `searchPath` (default: this process's PATH).
 * @throws Error when neither kustomize nor kubectl is installed.
 */
export function findKustomize(searchPath = process.env.PATH ?? ''): KustomizeCommand {
  const kustomize = which('kustomize', searchPath);
  if (kustomize) return { executable: kustomize, args: ['build', ...FIXED_FLAGS], label: 'kustomize' };
  const kubectl = which('kubectl', searchPath);
  if (kubectl) return { executable: kubectl, args: ['kustomize', ...FIXED_FLAGS], label: 'kubectl kustomize' };
  throw new Error('neither kustomize nor kubectl is on PATH: install one of them to render kustomizations');
}

function which(name: string, searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface RunOptions {
  /** The folder to build (absolute, inside `home`). */
  dir: string;
  /** The scratch folder: the child's HOME and the root stripped from messages. */
  home: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** Root-relative name of the folder, for messages. */
  label: string;
}

/** kustomize's output (a YAML stream). Throws RenderError on failure, timeout or too much output. */
export function runKustomize(command: KustomizeCommand, options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command.executable, [...command.args, '--', options.dir], {
      cwd: options.home,
      env: isolatedEnv(options.home),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: Error | undefined;
    const stop = (error: Error): void => {
      failure ??= error;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(renderError(options.label, `${command.label} took longer than ${options.timeoutMs} ms: stopped`)), options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > options.maxOutputBytes) stop(renderError(options.label, `${command.label} output exceeds ${options.maxOutputBytes} bytes: refused`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < MAX_STDERR) err += chunk.toString('utf8');
    });
    child.on('error', (error) => stop(new Error(`cannot run ${command.label}: ${error.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(renderError(options.label, kustomizeReason(err, options.home)));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}

function isolatedEnv(home: string): NodeJS.ProcessEnv {
  const refuse = 'http://127.0.0.1:9';
  return {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    KUSTOMIZE_PLUGIN_HOME: join(home, '.no-plugins'),
    PATH: '',
    HTTP_PROXY: refuse,
    HTTPS_PROXY: refuse,
    http_proxy: refuse,
    https_proxy: refuse,
    NO_PROXY: '',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
  };
}

/** The useful part of kustomize's stderr (kubectl wraps it as `… "command failed" err="…"`). */
function kustomizeReason(stderr: string, home: string): string {
  const wrapped = /err="((?:[^"\\]|\\.)*)"/.exec(stderr);
  const text = wrapped ? wrapped[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\') : stderr.replace(/^Error:\s*/m, '');
  const reason = sanitizeMessage(text, [home]);
  return `kustomize build failed: ${reason || 'no reason given'}`;
}
