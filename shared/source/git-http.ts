/**
 * Any other https Git host, through isomorphic-git (no git binary is needed, as on Lambda): refs are
 * listed with protocol v2 `ls-refs` (tags peeled), and a commit is fetched alone (`want <sha>`,
 * depth 1, no tags) into a private object store, whose tree is then written out entry by entry
 * through `SafeTree`: isomorphic-git's own checkout is not used, so the safety rules are the same as
 * for a tarball. Limits: a full SHA that is no ref's tip is checked at checkout time (the host
 * answers "not our ref" once it is unreachable), and a short SHA resolves only against ref tips.
 */
import git from 'isomorphic-git';
import { SourceError, SourceFetchError, SourceRefusedError, SourceUnavailableError, describeError } from './errors.ts';
import { callSignal, underDeadline } from './deadline.ts';
import { describeUrl } from './http.ts';
import { gitHttpClient, type GitClientContext } from './git-http-client.ts';
import { checkRevisionSyntax, isFullSha, resolveWith, type RevisionLookups } from './revision.ts';
import { resolveLimits, type SourceCallOptions, type SourceLimits, type SourceOptions, type RevisionResolver } from './types.ts';

export interface GitHttpSourceOptions extends SourceOptions {
  /** Credentials for a repository (sent as Basic auth to its origin only); undefined for anonymous. */
  credentials?: (repoURL: string) => Promise<{ username: string; password: string } | undefined>;
  /** Allow plain-http repositories (tests against a loopback server); never for a real host. */
  allowHttp?: boolean;
}

/** Resolves revisions of repositories on any Git smart-HTTP host (`ls-refs`). */
export class GitHttpRefs implements RevisionResolver {
  protected readonly limits: SourceLimits;

  constructor(protected readonly options: GitHttpSourceOptions = {}) {
    this.limits = resolveLimits(options.limits);
  }

  /** True for an https (or, when allowed, http) URL without credentials in it. */
  handles(repoURL: string): boolean {
    try {
      const url = new URL(repoURL);
      return (url.protocol === 'https:' || (url.protocol === 'http:' && !!this.options.allowHttp)) && !url.username && !url.password;
    } catch {
      return false;
    }
  }

  async resolveRevision(repoURL: string, targetRevision: string, options?: SourceCallOptions): Promise<string> {
    checkRevisionSyntax(targetRevision.trim());
    const where = this.where(repoURL);
    const signal = callSignal(this.limits, options);
    return underDeadline(signal, `resolving ${targetRevision} in ${where}`, this.limits, async () => {
      const http = gitHttpClient(await this.context(repoURL, signal));
      const refs = await mapGitErrors(where, () => git.listServerRefs({ http, url: repoURL, protocolVersion: 2, symrefs: true, peelTags: true }));
      return resolveWith(lookupsOf(new Map(refs.map((r) => [r.ref, r.peeled ?? r.oid]))), targetRevision, where);
    });
  }

  protected where(repoURL: string): string {
    if (!this.handles(repoURL)) {
      throw new SourceRefusedError(`refused repository URL ${describeUrl(repoURL)}: https only, with no credentials in the URL`);
    }
    return describeUrl(repoURL);
  }

  protected async context(repoURL: string, signal: AbortSignal): Promise<GitClientContext> {
    const creds = await this.options.credentials?.(repoURL);
    const header = creds && `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
    return {
      signal,
      limits: this.limits,
      where: describeUrl(repoURL),
      allowHttp: this.options.allowHttp,
      auth: header ? { origin: new URL(repoURL).origin, header } : undefined,
      secrets: creds ? [creds.password, header!.slice('Basic '.length)] : [],
    };
  }
}

function lookupsOf(refs: Map<string, string>): RevisionLookups {
  return {
    head: async () => refs.get('HEAD'),
    ref: async (fullName) => refs.get(fullName),
    commit: async (sha) => {
      if (isFullSha(sha)) return sha;
      const tips = new Set([...refs.values()].filter((oid) => oid.startsWith(sha)));
      return tips.size === 1 ? [...tips][0] : undefined;
    },
  };
}

/** Runs an isomorphic-git call, turning its errors into source errors. */
export async function mapGitErrors<T>(where: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SourceError) throw error;
    const { code, data } = error as { code?: string; data?: { statusCode?: number } };
    const status = data?.statusCode;
    if (code === 'HttpError' && (status === 404 || status === 401 || status === 403)) {
      throw new SourceUnavailableError(`source unavailable: ${where} answered HTTP ${status} (missing repository or no access)`);
    }
    if (code === 'NotFoundError' || code === 'InvalidOidError') {
      throw new SourceUnavailableError(`source unavailable: ${describeError(error)} in ${where}`);
    }
    throw new SourceFetchError(`failed to fetch from ${where}: ${describeError(error)}`);
  }
}
