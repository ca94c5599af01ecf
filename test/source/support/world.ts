// One fixture repository served three ways (the GitHub stand-in, a real git smart-HTTP server, the
// local path), with a reader for each and a private work root whose emptiness the tests check.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startGitHubStub, type RunningGitHubStub } from '../../../local/github-stub/index.ts';
import { GitHttpSource, GitHubSource, LocalSource, type SourceLimits, type SourceReader } from '../../../shared/source/index.ts';
import { startGitHttpServer, type RunningGitHttpServer } from '../../helpers/git-http-server.ts';
import { makeFixtureRepo, type FixtureRepo } from './repo.ts';

export const TOKEN = 'ghp_TestToken0123456789abcdefABCDEF';

export interface World {
  repo: FixtureRepo;
  stub: RunningGitHubStub;
  git: RunningGitHttpServer;
  workRoot: string;
  /** Names left in the work root (should be none between tests). */
  leftovers(): string[];
  github(limits?: Partial<SourceLimits>, token?: string): GitHubSource;
  gitHttp(limits?: Partial<SourceLimits>): GitHttpSource;
  local(limits?: Partial<SourceLimits>): LocalSource;
  readers(): { name: string; reader: SourceReader; url: string }[];
  stop(): Promise<void>;
}

export const GITHUB_URL = 'https://github.com/acme/app';

export async function startWorld(): Promise<World> {
  const repo = makeFixtureRepo();
  const stub = await startGitHubStub({ repos: { 'acme/app': repo.bare }, token: TOKEN });
  const git = await startGitHttpServer(dirname(repo.bare));
  const workRoot = mkdtempSync(join(tmpdir(), 'gitwave-test-work-'));
  const world: World = {
    repo,
    stub,
    git,
    workRoot,
    leftovers: () => readdirSync(workRoot),
    github: (limits, token = TOKEN) =>
      new GitHubSource({ apiBaseUrl: stub.apiUrl, hosts: ['github.com'], allowHttp: true, token: async () => token, limits, workRoot }),
    gitHttp: (limits) => new GitHttpSource({ allowHttp: true, limits, workRoot }),
    local: (limits) => new LocalSource({ limits, workRoot }),
    readers: () => [
      { name: 'github', reader: world.github(), url: GITHUB_URL },
      { name: 'git-http', reader: world.gitHttp(), url: `${git.url}/repo.git` },
      { name: 'local', reader: world.local(), url: repo.dir },
    ],
    stop: async () => {
      await Promise.all([stub.stop(), git.stop()]);
      repo.remove();
      rmSync(workRoot, { recursive: true, force: true });
    },
  };
  return world;
}
