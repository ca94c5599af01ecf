/**
 * The Git side of the GitHub stand-in: answers from a real local repository through the real `git`
 * binary (argv arrays, `--end-of-options` before every user-given revision), so the stand-in's refs,
 * tags and tarballs are exactly what Git makes of that repository.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Git with a clean environment: no user or system config, no prompts. */
function gitEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: '/nonexistent', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
}

async function git(repo: string, args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { env: gitEnv(), maxBuffer: 1 << 20 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

// What never changes for a SHA (its commit, its object type) is kept: every render asks the stand-in
// for refs and commits, and a git process per question was a tenth of the local runtime's CPU under
// many renders (bench many-apps). Refs change with every push, so they are read from the files each time.
const FULL_SHA = /^[0-9a-f]{40}$/;
const commits = new Map<string, string>();
const objectTypes = new Map<string, string>();
const gitDirs = new Map<string, string | undefined>();

async function remembered(cache: Map<string, string>, key: string, read: () => Promise<string | undefined>): Promise<string | undefined> {
  const known = cache.get(key);
  if (known !== undefined) return known;
  const value = await read();
  if (value !== undefined) cache.set(key, value); // an unknown SHA may arrive with the next push
  return value;
}

/** The commit `rev` names (GitHub's `commits/{ref}`: a SHA, a short SHA, `heads/x`, `tags/x`, a name, `HEAD`). */
export async function commitOf(repo: string, rev: string): Promise<string | undefined> {
  const full = /^(heads|tags)\//.test(rev) ? `refs/${rev}` : rev;
  const resolve = () => git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${full}^{commit}`]);
  return FULL_SHA.test(rev) ? remembered(commits, `${repo}\n${rev}`, resolve) : resolve();
}

/** The object an exact ref points to, unpeeled: `{type: 'commit' | 'tag', sha}`. */
export async function exactRef(repo: string, fullRef: string): Promise<{ type: string; sha: string } | undefined> {
  const fromFiles = await refFromFiles(repo, fullRef);
  if (fromFiles === null) return refFromGit(repo, fullRef);
  if (fromFiles === undefined) return undefined;
  const type = await remembered(objectTypes, `${repo}\n${fromFiles}`, () => git(repo, ['cat-file', '-t', fromFiles]));
  return type ? { type, sha: fromFiles } : undefined;
}

async function refFromGit(repo: string, fullRef: string): Promise<{ type: string; sha: string } | undefined> {
  const out = await git(repo, ['for-each-ref', '--format=%(refname) %(objecttype) %(objectname)', '--', fullRef]);
  const line = out?.split('\n').find((l) => l.startsWith(`${fullRef} `));
  if (!line) return undefined;
  const [, type, sha] = line.split(' ');
  return { type, sha };
}

/**
 * The SHA of `fullRef` from the repository's ref files (loose, then packed-refs); undefined when it has
 * none; null when the files cannot answer (an odd name, a symbolic ref, a reftable repository): ask git.
 */
async function refFromFiles(repo: string, fullRef: string): Promise<string | undefined | null> {
  if (!/^refs\/[A-Za-z0-9._/-]+$/.test(fullRef) || fullRef.split('/').some((part) => part === '' || part === '.' || part === '..')) return null;
  if (!gitDirs.has(repo)) gitDirs.set(repo, await git(repo, ['rev-parse', '--absolute-git-dir']));
  const gitDir = gitDirs.get(repo);
  if (!gitDir || existsSync(join(gitDir, 'reftable'))) return null;
  const loose = await readFile(join(gitDir, fullRef), 'utf8').catch(() => undefined);
  if (loose !== undefined) return FULL_SHA.test(loose.trim()) ? loose.trim() : null;
  const packed = await readFile(join(gitDir, 'packed-refs'), 'utf8').catch(() => '');
  const line = packed.split('\n').find((l) => l.endsWith(` ${fullRef}`) && !l.startsWith('#') && !l.startsWith('^'));
  return line?.slice(0, 40);
}

/** An annotated tag object: its name and the object it points to. */
export async function tagObject(repo: string, sha: string): Promise<{ tag: string; type: string; sha: string } | undefined> {
  if (!/^[0-9a-f]{40}$/.test(sha) || (await git(repo, ['cat-file', '-t', sha])) !== 'tag') return undefined;
  const body = (await git(repo, ['cat-file', 'tag', sha])) ?? '';
  const header = (name: string) => new RegExp(`^${name} (.*)$`, 'm').exec(body)?.[1] ?? '';
  return { tag: header('tag'), type: header('type'), sha: header('object') };
}

/** `git archive --format=tar.gz` of commit `sha` under `prefix/`, as GitHub's codeload serves it. */
export function archive(repo: string, sha: string, prefix: string): ChildProcess {
  return spawn('git', ['-C', repo, 'archive', '--format=tar.gz', `--prefix=${prefix}/`, '--end-of-options', sha], {
    env: gitEnv(),
    stdio: ['ignore', 'pipe', 'ignore'],
  });
}
