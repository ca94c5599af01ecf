/**
 * Recognising kustomize entries that would make kustomize reach the network: remote bases
 * (`github.com/org/repo//path?ref=v1`, `git@host:org/repo`, `https://…/repo.git`) and URL resources
 * (`https://…/x.yaml`). kustomize tries an entry as a Git URL before it looks on disk, and a crafted
 * `?ref=--upload-pack=…` once injected arguments into `git` (GHSA-9v9p-x54c-58gc), so these are
 * refused by their shape, whether or not a folder of that name exists in the repository.
 */

const PATTERNS: readonly RegExp[] = [
  /^[a-z][a-z0-9+.-]*:\/\//i, // any scheme: https://, ssh://, file://, git://
  /^[a-z][a-z0-9+.-]*::/i, // go-getter forced schemes: git::https://…
  /^(?:gh|github|gitlab|bitbucket):/i, // shorthand hosts
  /^[^/\s]+@[^/\s]+:/, // scp-like git@host:org/repo
  /\?/, // query strings: ?ref=, ?version=, ?timeout=
  /\/\//, // repo//subdirectory delimiter
  /(?:^|\/)_git(?:\/|$)/, // Azure DevOps
  /\.git(?:\/|$)/, // repo.git, repo.git/sub
  /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?\//i, // host.tld/org/repo without a scheme
];

/**
 * True when kustomize could treat `entry` as something to fetch rather than a file in the repository.
 * @example looksRemote('github.com/org/repo//base?ref=v1') // true
 * @example looksRemote('../base') // false
 */
export function looksRemote(entry: string): boolean {
  const text = entry.trim();
  return PATTERNS.some((pattern) => pattern.test(text));
}

/** The entry as it may appear in a message: one line, at most 120 characters. */
export function quoteEntry(entry: string): string {
  const oneLine = entry.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > 120 ? `${oneLine.slice(0, 119)}…` : oneLine);
}
