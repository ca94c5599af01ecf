/**
 * The Git side of the GitHub stand-in: answers from a real local repository through the real `git`
 * binary (argv arrays, `--end-of-options` before every user-given revision), so the stand-in's refs,
 * tags and tarballs are exactly what Git makes of that repository.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
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

/** The commit `rev` names (GitHub's `commits/{ref}`: a SHA, a short SHA, `heads/x`, `tags/x`, a name, `HEAD`). */
export async function commitOf(repo: string, rev: string): Promise<string | undefined> {
  const full = /^(heads|tags)\//.test(rev) ? `refs/${rev}` : rev;
  return git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${full}^{commit}`]);
}

/** The object an exact ref points to, unpeeled: `{type: 'commit' | 'tag', sha}`. */
export async function exactRef(repo: string, fullRef: string): Promise<{ type: string; sha: string } | undefined> {
  const out = await git(repo, ['for-each-ref', '--format=%(refname) %(objecttype) %(objectname)', '--', fullRef]);
  const line = out?.split('\n').find((l) => l.startsWith(`${fullRef} `));
  if (!line) return undefined;
  const [, type, sha] = line.split(' ');
  return { type, sha };
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
