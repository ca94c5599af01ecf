/**
 * The sample manifest repository of the embedded runtime: created on first start as a real local
 * Git repository from `template/` (a team's `api/<component>/service/{base,overlays/<env>}` layout
 * with hooks and waves, and one Argo CD Application per environment). The Applications name a
 * GitHub-style URL; the local runtime maps that URL to this repository.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE_REPO_URL = 'https://github.com/gitwave-demo/platform-manifests.git';
export const SAMPLE_BRANCH = 'main';
const TEMPLATE = new URL('./template/', import.meta.url).pathname;

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'gitwave demo',
  GIT_AUTHOR_EMAIL: 'demo@gitwave.invalid',
  GIT_COMMITTER_NAME: 'gitwave demo',
  GIT_COMMITTER_EMAIL: 'demo@gitwave.invalid',
};

/** Runs git in `dir` with an argv array (never a shell) and a fixed identity. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...GIT_IDENTITY },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Creates the sample repository at `dir` unless it exists; returns the head commit either way. */
export function ensureSampleRepo(dir: string): { created: boolean; head: string } {
  if (existsSync(join(dir, '.git'))) return { created: false, head: git(dir, 'rev-parse', 'HEAD') };
  mkdirSync(dir, { recursive: true });
  cpSync(TEMPLATE, dir, { recursive: true });
  git(dir, 'init', '--quiet', `--initial-branch=${SAMPLE_BRANCH}`);
  git(dir, 'add', '--all');
  git(dir, 'commit', '--quiet', '-m', 'orders service: base, dev and staging overlays, Applications');
  return { created: true, head: git(dir, 'rev-parse', 'HEAD') };
}

/** The Application documents of the sample, as paths relative to the repository. */
export const SAMPLE_APPLICATIONS = ['apps/orders-dev.yaml', 'apps/orders-staging.yaml'];
