/**
 * GitHub (and GitHub Enterprise) through its REST API: refs are resolved with `git/ref` (exact match)
 * and `commits/{ref}` (`Accept: application/vnd.github.sha`), and a commit is downloaded as the
 * tarball GitHub makes of it (`GET /repos/{owner}/{repo}/tarball/{sha}`, a redirect to codeload),
 * streamed through the safe extractor. The token comes from an injected provider (Secrets Manager
 * in AWS), is fetched per call, goes only to the API origin in the `Authorization` header (codeload
 * gets none: its URL is pre-signed) and is scrubbed from every message.
 */
import { RevisionError, SourceFetchError, SourceRefusedError, SourceUnavailableError, describeError, quoteName } from './errors.ts';
import { callSignal, underDeadline } from './deadline.ts';
import { httpRequest, readBody, type HttpRequest, type HttpResponse } from './http.ts';
import { checkRevisionSyntax, isFullSha, resolveWith, type RevisionLookups } from './revision.ts';
import { resolveLimits, type SourceCallOptions, type SourceLimits, type SourceOptions, type RevisionResolver } from './types.ts';

export interface GitHubSourceOptions extends SourceOptions {
  /** REST API base URL: `https://api.github.com` (default), `https://ghe.example.com/api/v3`, a stand-in. */
  apiBaseUrl?: string;
  /** Hosts whose repository URLs this API serves; default `github.com` for api.github.com, else the API's host. */
  hosts?: string[];
  /** Returns the token to use (a GitHub App installation token, a PAT); `undefined` for public repositories. */
  token?: () => Promise<string | undefined>;
  /** Allow a plain-http API base (the local stand-in); never for a real host. */
  allowHttp?: boolean;
}

/** `owner` and `repo` of a GitHub repository URL. */
export interface GitHubRepo {
  owner: string;
  repo: string;
}

const API_JSON_BYTES = 1024 * 1024;
const NAME = /^[A-Za-z0-9_.-]+$/;

/** Resolves revisions of GitHub repositories through the API; `handles(url)` says whether a URL is one of its hosts'. */
export class GitHubRefs implements RevisionResolver {
  private readonly api: URL;
  private readonly hosts: Set<string>;
  protected readonly limits: SourceLimits;

  constructor(protected readonly options: GitHubSourceOptions = {}) {
    this.api = new URL((options.apiBaseUrl ?? 'https://api.github.com').replace(/\/+$/, ''));
    const defaultHost = this.api.hostname === 'api.github.com' ? 'github.com' : this.api.hostname;
    this.hosts = new Set((options.hosts ?? [defaultHost]).map((h) => h.toLowerCase()));
    this.limits = resolveLimits(options.limits);
  }

  /** True when `repoURL` is an https URL of one of this API's hosts. */
  handles(repoURL: string): boolean {
    return this.parse(repoURL) !== undefined;
  }

  async resolveRevision(repoURL: string, targetRevision: string, options?: SourceCallOptions): Promise<string> {
    checkRevisionSyntax(targetRevision.trim());
    const repo = this.repoOf(repoURL);
    const signal = callSignal(this.limits, options);
    return underDeadline(signal, `resolving ${targetRevision} in ${this.where(repo)}`, this.limits, async () => {
      const client = await this.client(repo, signal);
      return resolveWith(lookupsOf(client), targetRevision, this.where(repo));
    });
  }

  /** `owner/repo` of a URL of this API's hosts, or undefined. */
  parse(repoURL: string): GitHubRepo | undefined {
    let url: URL;
    try {
      url = new URL(repoURL);
    } catch {
      return undefined;
    }
    const parts = url.pathname.replace(/\/+$/, '').replace(/\.git$/, '').split('/').filter(Boolean);
    if (url.protocol !== 'https:' || !this.hosts.has(url.hostname.toLowerCase()) || parts.length !== 2) return undefined;
    const [owner, repo] = parts;
    return NAME.test(owner) && NAME.test(repo) && repo !== '.' && repo !== '..' ? { owner, repo } : undefined;
  }

  protected repoOf(repoURL: string): GitHubRepo {
    const repo = this.parse(repoURL);
    if (!repo) throw new SourceRefusedError(`not a repository URL of ${[...this.hosts].join(', ')}: expected https://<host>/<owner>/<repo>`);
    return repo;
  }

  protected where(repo: GitHubRepo): string {
    return `${[...this.hosts][0]}/${repo.owner}/${repo.repo}`;
  }

  protected async client(repo: GitHubRepo, signal: AbortSignal): Promise<ApiClient> {
    const token = await this.options.token?.().catch((error: unknown) => {
      throw new SourceFetchError(`failed to get the token for ${this.where(repo)}: ${describeError(error)}`);
    });
    return new ApiClient(`${this.api.href.replace(/\/+$/, '')}/repos/${repo.owner}/${repo.repo}/`, this.where(repo), {
      signal,
      maxBytes: API_JSON_BYTES,
      allowHttp: this.options.allowHttp,
      auth: token ? { origin: this.api.origin, header: `Bearer ${token}` } : undefined,
      secrets: token ? [token] : [],
    });
  }
}

/** Calls under one repository, with the call's signal, credentials and message scrubbing. */
export class ApiClient {
  constructor(
    private readonly base: string,
    private readonly where: string,
    private readonly request: HttpRequest,
  ) {}

  get(path: string, headers: Record<string, string>, maxBytes = this.request.maxBytes): Promise<HttpResponse> {
    const accept = { accept: 'application/vnd.github+json', 'x-github-api-version': '2022-11-28', ...headers };
    return httpRequest(this.base + path, { ...this.request, headers: accept, maxBytes });
  }

  /** The JSON body of a 200, `undefined` for "not found" answers, an error for the rest. */
  async json(path: string): Promise<any> {
    const response = await this.get(path, {});
    if (response.status === 200) return JSON.parse((await readBody(response)).toString('utf8'));
    if (response.status === 404 || response.status === 409 || response.status === 422) return undefined;
    return this.fail(response, path);
  }

  /** The commit SHA GitHub gives for `ref` (a SHA, a prefix, `HEAD`), or undefined. */
  async commitSha(ref: string): Promise<string | undefined> {
    const response = await this.get(`commits/${encodeURIComponent(ref)}`, { accept: 'application/vnd.github.sha' });
    if (response.status === 404 || response.status === 422) return undefined;
    if (response.status !== 200) return this.fail(response, `commit ${ref}`);
    return (await readBody(response)).toString('utf8').trim();
  }

  /** Throws the error that GitHub's non-success `response` means. */
  async fail(response: HttpResponse, what: string): Promise<never> {
    const { status } = response;
    const limited = status === 429 || (status === 403 && response.headers.get('x-ratelimit-remaining') === '0');
    for await (const _ of response.body) void _; // drain (capped) so the connection is reused
    if (status === 404 || status === 422) throw new SourceUnavailableError(`source unavailable: ${what} not found in ${this.where} (HTTP ${status})`);
    if (limited || status >= 500) throw new SourceFetchError(`github answered HTTP ${status} for ${what} of ${this.where}`);
    if (status === 401 || status === 403) {
      throw new SourceUnavailableError(`source unavailable: access to ${this.where} denied (HTTP ${status}); check the token`);
    }
    throw new SourceFetchError(`unexpected HTTP ${status} from github for ${what} of ${this.where}`);
  }
}

/** The three look-ups of `revision.ts`, over the GitHub API; tags are peeled through `git/tags`. */
function lookupsOf(client: ApiClient): RevisionLookups {
  return {
    head: () => client.commitSha('HEAD'),
    commit: (sha) => client.commitSha(sha),
    ref: async (fullName) => {
      const path = fullName.slice('refs/'.length).split('/').map(encodeURIComponent).join('/');
      let object = (await client.json(`git/ref/${path}`))?.object;
      for (let depth = 0; object?.type === 'tag' && isFullSha(object.sha) && depth < 8; depth++) {
        object = (await client.json(`git/tags/${object.sha}`))?.object;
      }
      if (object && object.type !== 'commit') throw new RevisionError(`${quoteName(fullName)} points to a ${String(object.type)}, not a commit`);
      return object?.sha;
    },
  };
}
