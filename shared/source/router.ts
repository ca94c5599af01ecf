/**
 * One `SourceReader` for every kind of `repoURL`: GitHub hosts go to the tarball API, local paths
 * to the local reader (only when enabled: never on Lambda), other https URLs to the git smart-HTTP
 * reader. Anything else (ssh, git://, http without `allowHttp`, credentials in the URL) is refused.
 */
import { SourceRefusedError, quoteName } from './errors.ts';
import { GitHubRefs, type GitHubSourceOptions } from './github.ts';
import { GitHubSource } from './github-source.ts';
import { GitHttpRefs, type GitHttpSourceOptions } from './git-http.ts';
import { GitHttpSource } from './git-http-source.ts';
import { describeUrl } from './http.ts';
import { LocalSource, type LocalSourceOptions } from './local.ts';
import type { Checkout, RevisionResolver, SourceCallOptions, SourceOptions, SourceReader } from './types.ts';

export interface SourceReaderOptions extends SourceOptions {
  /** The GitHub adapter's options; enabled by default (api.github.com for github.com); `false` turns it off. */
  github?: GitHubSourceOptions | false;
  /** The generic https Git adapter's options; enabled by default; `false` turns it off. */
  gitHttp?: GitHttpSourceOptions | false;
  /** The local adapter's options; off by default. */
  local?: LocalSourceOptions | false;
}

type Routed<R> = R & { handles(repoURL: string): boolean };

/**
 * A reader routing each repository URL to its adapter. `limits` and `workRoot` given here apply to
 * every adapter unless the adapter's own options set them.
 * @example
 * const source = createSourceReader({ github: { token: () => secrets.githubToken() } });
 * const sha = await source.resolveRevision(app.repoURL, app.targetRevision);
 */
export function createSourceReader(options: SourceReaderOptions = {}): SourceReader {
  const pick = router<SourceReader>(options, {
    github: (o) => new GitHubSource(o), gitHttp: (o) => new GitHttpSource(o), local: (o) => new LocalSource(o),
  });
  return {
    resolveRevision: async (repoURL: string, rev: string, call?: SourceCallOptions) => pick(repoURL).resolveRevision(repoURL, rev, call),
    checkout: async (repoURL: string, sha: string, call?: SourceCallOptions): Promise<Checkout> => pick(repoURL).checkout(repoURL, sha, call),
  };
}

/**
 * The same routing for revisions only (the drift sweep on Lambda): its adapters carry no unpacking
 * code, so a bundle built from this has no tar and no checkout. No local paths (never on Lambda;
 * the local runtime plugs its own reader).
 * @example const sha = await createRevisionResolver({ github: { apiBaseUrl } }).resolveRevision(repoURL, 'main');
 */
export function createRevisionResolver(options: Omit<SourceReaderOptions, 'local'> = {}): RevisionResolver {
  const pick = router<RevisionResolver>(options, { github: (o) => new GitHubRefs(o), gitHttp: (o) => new GitHttpRefs(o) });
  return { resolveRevision: async (repoURL, rev, call) => pick(repoURL).resolveRevision(repoURL, rev, call) };
}

/** How a router makes each adapter; `local` only where local paths may be read. */
interface AdapterMakers<R> {
  github: (o: GitHubSourceOptions) => Routed<R>;
  gitHttp: (o: GitHttpSourceOptions) => Routed<R>;
  local?: (o: LocalSourceOptions) => Routed<R>;
}

function router<R extends RevisionResolver>(options: SourceReaderOptions, make: AdapterMakers<R>): (repoURL: string) => Routed<R> {
  const shared = { limits: options.limits, workRoot: options.workRoot };
  const adapters: Array<Routed<R>> = [];
  if (options.github !== false) adapters.push(make.github({ ...shared, ...options.github }));
  if (options.local && make.local) adapters.push(make.local({ ...shared, ...options.local }));
  if (options.gitHttp !== false) adapters.push(make.gitHttp({ ...shared, ...options.gitHttp }));
  return (repoURL: string) => {
    const adapter = adapters.find((a) => a.handles(repoURL));
    if (adapter) return adapter;
    const shown = /^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL) ? describeUrl(repoURL) : repoURL;
    throw new SourceRefusedError(`unsupported repository URL ${quoteName(shown)}: use https://${options.local ? ', a local path' : ''}`);
  };
}
