/**
 * Repository URL normalisation. A push names its repository three ways (`clone_url`, `html_url`,
 * `ssh_url`) and users write `repoURL` any of those ways too; all of them reduce to one canonical
 * `host/owner/repo` form, which is what Applications are looked up by. The URL in a payload only
 * selects registered Applications: it is never fetched (SECURITY.md §1, GHSA-q4f6-wc8m-r246).
 */

/**
 * The canonical form of a Git repository URL: lowercase host, path without `.git` and trailing
 * slashes, no scheme, user or port. Returns undefined for something that is not a repository URL.
 * @example normalizeRepoUrl('git@github.com:Org/Repo.git') // 'github.com/Org/Repo'
 * @example normalizeRepoUrl('https://GitHub.com/Org/Repo/') // 'github.com/Org/Repo'
 */
export function normalizeRepoUrl(url: string): string | undefined {
  const trimmed = url.trim();
  const scp = /^(?:[^@/\s]+@)?([^:/\s]+):(?!\/\/)([^\s]+)$/.exec(trimmed);
  let host: string;
  let path: string;
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed)) {
    [, host, path] = scp;
  } else {
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      return undefined;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(parsed.protocol)) return undefined;
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  }
  const cleanPath = path.replace(/^\/+/, '').replace(/\/+$/, '').replace(/\.git$/i, '');
  if (!host || !cleanPath || cleanPath.split('/').some((part) => part === '' || part === '..')) return undefined;
  return `${host.toLowerCase()}/${cleanPath}`;
}
