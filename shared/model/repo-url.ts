/**
 * One spelling per Git repository, so an Application's `repoURL`, an AppProject's `sourceRepos` and a
 * GitHub webhook's `repository` agree whatever form each uses: `https://GitHub.com/Org/Repo.git`,
 * `git@github.com:org/repo`, `ssh://git@github.com:22/org/repo/` all become `github.com/org/repo`.
 * Like Argo CD's NormalizeGitURL the whole URL is lowercased (GitHub and GitLab paths are
 * case-insensitive); scheme, credentials, default ports, a trailing `/` and `.git` are dropped.
 */

const SCP_LIKE = /^(?:[^@/:]+@)?([^/:]+):(?!\/\/)(.*)$/; // git@host:path (no scheme)
const DEFAULT_PORTS = new Set(['22', '80', '443', '9418']);

/**
 * The normalised form of a Git repository URL: `host[:port]/path`, lowercase.
 * Returns the trimmed lowercase input, minus a `.git` suffix, when it is not a URL at all (a glob
 * such as `*` stays as it is), so patterns can be normalised the same way.
 * @example normalizeRepoURL('https://user:tok@GitHub.com/Org/Repo.git') // 'github.com/org/repo'
 * @example normalizeRepoURL('git@github.com:org/repo.git') // 'github.com/org/repo'
 */
export function normalizeRepoURL(url: string): string {
  const text = url.trim().toLowerCase();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(text);
  if (withScheme) return hostAndPath(text.slice(withScheme[0].length));
  const scp = SCP_LIKE.exec(text);
  // `host:8443/path` is an already-normalised host:port, so normalising twice changes nothing.
  if (scp && !text.includes('*') && !/^\d+(\/|$)/.test(scp[2])) return joinHostPath(scp[1], scp[2]);
  return trimPath(text);
}

function hostAndPath(rest: string): string {
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '' : rest.slice(slash + 1);
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const colon = hostPort.lastIndexOf(':');
  const port = colon < 0 ? '' : hostPort.slice(colon + 1);
  const host = colon >= 0 && DEFAULT_PORTS.has(port) ? hostPort.slice(0, colon) : hostPort;
  return joinHostPath(host, path);
}

function joinHostPath(host: string, path: string): string {
  const cleanPath = trimPath(path.replace(/^\/+/, ''));
  return cleanPath === '' ? host : `${host}/${cleanPath}`;
}

function trimPath(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
}

/**
 * A URL safe to show: credentials removed (`https://user:token@host/x` → `https://host/x`).
 * @example redactRepoURL('https://x:ghp_secret@github.com/o/r') // 'https://github.com/o/r'
 */
export function redactRepoURL(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, '$1');
}
