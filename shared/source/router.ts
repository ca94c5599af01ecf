/**
 * One `SourceReader` for every kind of `repoURL`: GitHub hosts go to the tarball API, local paths
 * to the local reader (only when enabled: never on Lambda), other https URLs to the git smart-HTTP
 * reader. Anything else (ssh, git://, http without `allowHttp`, credentials in the URL) is refused.
 */
import { SourceRefusedError, quoteName } from './errors.ts';
import { GitHubSource, type GitHubSourceOptions } from './github.ts';
import { GitHttpSource, type GitHttpSourceOptions } from './git-http.ts';
import { describeUrl } from './http.ts';
import { LocalSource, type LocalSourceOptions } from './local.ts';
import type { Checkout, SourceCallOptions, SourceOptions, SourceReader } from './types.ts';

export interface SourceReaderOptions extends SourceOptions {
  /** The GitHub adapter's options; enabled by default (api.github.com for github.com); `false` turns it off. */
  github?: GitHubSourceOptions | false;
  /** The generic https Git adapter's options; enabled by default; `false` turns it off. */
  gitHttp?: GitHttpSourceOptions | false;
  /** The local adapter's options; off by default. */
  local?: LocalSourceOptions | false;
}

type Adapter = SourceReader & { handles(repoURL: string): boolean };

/**
 * A reader routing each repository URL to its adapter. `limits` and `workRoot` given here apply to
 * every adapter unless the adapter's own options set them.
 * @example
 * const source = createSourceReader({ github: { token: () => secrets.githubToken() } });
 * const sha = await source.resolveRevision(app.repoURL, app.targetRevision);
 */
export function createSourceReader(options: SourceReaderOptions = {}): SourceReader {
  const shared = { limits: options.limits, workRoot: options.workRoot };
  const adapters: Adapter[] = [];
  if (options.github !== false) adapters.push(new GitHubSource({ ...shared, ...options.github }));
  if (options.local) adapters.push(new LocalSource({ ...shared, ...options.local }));
  if (options.gitHttp !== false) adapters.push(new GitHttpSource({ ...shared, ...options.gitHttp }));
  const pick = (repoURL: string): Adapter => {
    const adapter = adapters.find((a) => a.handles(repoURL));
    if (adapter) return adapter;
    const shown = /^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL) ? describeUrl(repoURL) : repoURL;
    throw new SourceRefusedError(`unsupported repository URL ${quoteName(shown)}: use https://${options.local ? ', a local path' : ''}`);
  };
  return {
    resolveRevision: async (repoURL: string, rev: string, call?: SourceCallOptions) => pick(repoURL).resolveRevision(repoURL, rev, call),
    checkout: async (repoURL: string, sha: string, call?: SourceCallOptions): Promise<Checkout> => pick(repoURL).checkout(repoURL, sha, call),
  };
}
