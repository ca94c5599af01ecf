/**
 * Which chart repository URLs gitwave fetches (pure; shared by Application parsing and the
 * renderer): https, or plain http on a loopback address (local use and tests). OCI registries
 * (`oci://…`, or a repoURL without a scheme, as Argo CD reads it) are refused until supported.
 */

/**
 * Why a chart repository URL is refused, or undefined when it may be fetched.
 * @example chartRepoProblem('oci://ghcr.io/org/charts') // 'OCI registries are not supported yet: …'
 * @example chartRepoProblem('https://charts.example.com') // undefined
 */
export function chartRepoProblem(repoURL: string): string | undefined {
  if (/^oci:\/\//i.test(repoURL) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(repoURL)) {
    return 'OCI registries are not supported yet: use an https:// chart repository (with an index.yaml)';
  }
  let url: URL;
  try {
    url = new URL(repoURL);
  } catch {
    return 'is not a valid URL';
  }
  if (url.username || url.password) return 'credentials must not be written in repoURL';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') return isLoopbackHost(url.hostname) ? undefined : 'plain http:// chart repositories are refused (except on loopback addresses): use https://';
  return `scheme ${url.protocol} is not a chart repository: use https://`;
}

/** `localhost`, `127.0.0.0/8` or `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
