// A real Git repository shaped for the ref tests: two commits on main, an annotated and a light tag,
// a branch and a tag with the same name at different commits, a nested branch name, a symlink, an
// executable file, and an uncommitted file in the work tree that no checkout may ever contain.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface FixtureRepo {
  /** The work tree (with `.git`). */
  dir: string;
  /** A bare clone of it, for the git http server. */
  bare: string;
  first: string;
  second: string;
  /** The annotated tag object of `v1` (not a commit). */
  v1TagObject: string;
  git(...args: string[]): string;
  /** Raw stdout of a git command (no trimming). */
  gitBytes(...args: string[]): Buffer;
  remove(): void;
}

const ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

/** Makes the repository under a fresh temporary directory. */
export function makeFixtureRepo(): FixtureRepo {
  const base = mkdtempSync(join(tmpdir(), 'gitwave-test-repo-'));
  const dir = join(base, 'work');
  mkdirSync(dir);
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { env: ENV, encoding: 'utf8' }).trim();
  git('init', '-q', '-b', 'main');
  write(dir, 'app/base/kustomization.yaml', 'resources:\n  - deploy.yaml\n');
  write(dir, 'app/base/deploy.yaml', 'kind: Deployment\nversion: 1\n');
  write(dir, 'scripts/run.sh', '#!/bin/sh\necho hi\n');
  chmodSync(join(dir, 'scripts/run.sh'), 0o755);
  symlinkSync('base/deploy.yaml', join(dir, 'app/link.yaml'));
  git('add', '-A');
  git('commit', '-q', '-m', 'first');
  const first = git('rev-parse', 'HEAD');
  git('tag', '-a', '-m', 'release 1', 'v1');
  git('tag', 'light');
  git('branch', 'dup');
  write(dir, 'app/base/deploy.yaml', 'kind: Deployment\nversion: 2\n');
  git('commit', '-q', '-am', 'second');
  const second = git('rev-parse', 'HEAD');
  git('tag', 'dup');
  git('branch', 'feature/x');
  write(dir, 'dirty.txt', 'uncommitted\n');
  write(dir, 'app/base/deploy.yaml', 'kind: Deployment\nversion: uncommitted\n');
  const bare = join(base, 'repo.git');
  execFileSync('git', ['clone', '-q', '--bare', dir, bare], { env: ENV });
  return {
    dir,
    bare,
    first,
    second,
    v1TagObject: git('rev-parse', 'refs/tags/v1'),
    git,
    gitBytes: (...args) => execFileSync('git', ['-C', dir, ...args], { env: ENV }),
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
