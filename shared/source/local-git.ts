/**
 * A Git repository on this machine, read with the real `git` binary: refs resolved with
 * `show-ref --verify` (exact names) and `rev-parse --verify` (`--end-of-options` before anything
 * user-given, `^{commit}` to peel tags), and a commit exported with `git archive` into the tar
 * extractor, so files that are not committed (a dirty work tree) are never read. Every git runs
 * with an argv array (no shell), the call's signal, a clean environment (no system config, no
 * prompts, no replace refs) and `GIT_CEILING_DIRECTORIES` so a parent repository is never used.
 */
import { spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { SourceFetchError, SourceUnavailableError } from './errors.ts';
import type { RevisionLookups } from './revision.ts';
import { SafeTree } from './safe-tree.ts';
import { extractTar } from './tar-extract.ts';
import type { SourceLimits } from './types.ts';

const TEXT_BYTES = 1024 * 1024;

function gitEnv(repo: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_CEILING_DIRECTORIES: dirname(repo),
  };
}

/** Trimmed stdout of `git -C repo …args`, or undefined when git exits non-zero. */
export async function gitText(repo: string, args: string[], signal: AbortSignal): Promise<string | undefined> {
  const child = spawn('git', ['-C', repo, ...args], { env: gitEnv(repo), signal, stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.length > TEXT_BYTES) child.kill();
  });
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', resolve);
    child.on('error', () => resolve(null));
  });
  return code === 0 ? out.trim() : undefined;
}

/** The three look-ups of `revision.ts`, over a local repository. */
export function localGitLookups(repo: string, signal: AbortSignal): RevisionLookups {
  const commitOf = (rev: string) => gitText(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], signal);
  return {
    head: () => commitOf('HEAD'),
    ref: async (fullName) => {
      const exists = await gitText(repo, ['show-ref', '--verify', '--quiet', '--', fullName], signal);
      return exists === undefined ? undefined : commitOf(fullName);
    },
    commit: async (sha) => {
      const full = await commitOf(sha);
      return full?.startsWith(sha) ? full : undefined;
    },
  };
}

/** Exports commit `sha` of `repo` into `tree` with `git archive --format=tar`. */
export async function archiveInto(repo: string, sha: string, tree: SafeTree, limits: SourceLimits, signal: AbortSignal): Promise<void> {
  const child = spawn('git', ['-C', repo, 'archive', '--format=tar', '--end-of-options', sha], {
    env: gitEnv(repo),
    signal,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(0, 400)));
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', resolve);
    child.on('error', () => resolve(null));
  });
  try {
    await extractTar(child.stdout, tree, { gzip: false, stripTopDirectory: false, limits });
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code === 0) return;
  if (/not a valid object|not a tree object|bad object/i.test(stderr)) {
    throw new SourceUnavailableError(`source unavailable: commit ${sha} not found in ${repo}`);
  }
  throw new SourceFetchError(`git archive of ${sha} in ${repo} failed (exit ${code}): ${stderr.trim()}`);
}
