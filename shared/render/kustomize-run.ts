/**
 * Running the real kustomize: `kustomize build` when a kustomize binary is on PATH, else
 * `kubectl kustomize`. Always an argv array (no shell), with the load restrictor explicitly on and
 * never a flag that enables exec plugins, KRM functions, networks or mounts; Helm only when the
 * AppProject allows `helmCharts` (kustomize-helm.ts), with gitwave's helm named by path. The child gets
 * an empty environment except for a scratch HOME, no PATH (so a Git clone cannot start) and a proxy
 * that refuses every connection (so no URL can be fetched): a second wall behind the pre-build scan.
 * A time limit and an output cap bound each run, and stopping a run kills its whole process group (the
 * helm kustomize started, too).
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

/** The first executable `name` in the folders of `searchPath`. */
export function which(name: string, searchPath: string): string | undefined {
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
  /** Flags before the folder (`--enable-helm --helm-command …` when the project allows helmCharts). */
  extraArgs?: readonly string[];
}

/** kustomize's output (a YAML stream). Throws RenderError on failure, timeout or too much output. */
export function runKustomize(command: KustomizeCommand, options: RunOptions): Promise<string> {
  return runTool({
    executable: command.executable,
    args: [...command.args, ...(options.extraArgs ?? []), '--', options.dir],
    cwd: options.home,
    env: isolatedEnv(options.home),
    tool: command.label,
    label: options.label,
    timeoutMs: options.timeoutMs,
    maxOutputBytes: options.maxOutputBytes,
    reason: (stderr) => kustomizeReason(stderr, options.home),
  });
}

/** One run of a rendering tool, confined and capped. */
export interface ToolRun {
  executable: string;
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** `kustomize`, `helm template`…, for messages. */
  tool: string;
  /** Root-relative name of what is rendered: the file every error names. */
  label: string;
  timeoutMs: number;
  maxOutputBytes: number;
  /** The message of a failed run, from its stderr. */
  reason: (stderr: string) => string;
}

/**
 * The tool's stdout. Never a shell; killed at the time limit or as soon as its output passes the
 * cap. Throws RenderError naming `label` on failure, timeout or too much output.
 */
export function runTool(run: ToolRun): Promise<string> {
  return new Promise((resolve, reject) => {
    // Its own process group, so a stop also reaches what it started (kustomize's helm template).
    const child = spawn(run.executable, run.args, { cwd: run.cwd, env: run.env, stdio: ['ignore', 'pipe', 'pipe'], shell: false, detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: Error | undefined;
    const stop = (error: Error): void => {
      failure ??= error;
      killGroup(child);
    };
    const timer = setTimeout(() => stop(renderError(run.label, `${run.tool} took longer than ${run.timeoutMs} ms: stopped`)), run.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > run.maxOutputBytes) stop(renderError(run.label, `${run.tool} output exceeds ${run.maxOutputBytes} bytes: refused`));
      else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < MAX_STDERR) err += chunk.toString('utf8');
    });
    child.on('error', (error) => stop(new Error(`cannot run ${run.tool}: ${error.message}`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) reject(failure);
      else if (code !== 0) reject(renderError(run.label, run.reason(err)));
      else resolve(Buffer.concat(out).toString('utf8'));
    });
  });
}

/** SIGKILL to the child's process group, else to the child alone. */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** An environment with nothing of this process's: a scratch HOME, no PATH, a proxy that refuses all. */
export function isolatedEnv(home: string): NodeJS.ProcessEnv {
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
