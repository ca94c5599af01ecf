/**
 * Argo CD's build environment and its `Envsubst`: `$VAR` and `${VAR}` are replaced by the value of a
 * build variable (an unknown variable becomes ""), `$$` is a literal `$`, and a `$` not followed by a
 * name stays as it is. The rules are Go's os.Expand, which Argo CD calls.
 */

/** What the build environment is made from (Argo CD's `ARGOCD_APP_*` variables). */
export interface BuildEnvInput {
  appName: string;
  /** The destination namespace. */
  namespace?: string;
  project?: string;
  /** The full commit SHA being rendered. */
  revision?: string;
  repoURL?: string;
  path?: string;
  targetRevision?: string;
  kubeVersion?: string;
  apiVersions?: readonly string[];
}

/**
 * The variables Argo CD sets for a build.
 * @example buildEnv({ appName: 'web', revision: 'abcdef0123456789' }).ARGOCD_APP_REVISION_SHORT // 'abcdef0'
 */
export function buildEnv(input: BuildEnvInput): Record<string, string> {
  const revision = input.revision ?? '';
  return {
    ARGOCD_APP_NAME: input.appName,
    ARGOCD_APP_NAMESPACE: input.namespace ?? '',
    ARGOCD_APP_PROJECT_NAME: input.project ?? 'default',
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_REPO_URL: input.repoURL ?? '',
    ARGOCD_APP_SOURCE_PATH: input.path ?? '',
    ARGOCD_APP_SOURCE_TARGET_REVISION: input.targetRevision ?? '',
    KUBE_VERSION: input.kubeVersion ?? '',
    KUBE_API_VERSIONS: (input.apiVersions ?? []).join(','),
  };
}

/**
 * `text` with build variables substituted the way Argo CD does it.
 * @example envsubst('v-${ARGOCD_APP_NAME}-$$x', { ARGOCD_APP_NAME: 'web' }) // 'v-web-$x'
 */
export function envsubst(text: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0 || dollar === text.length - 1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const { name, width } = shellName(text.slice(dollar + 1));
    if (name === '' && width === 0) out += '$'; // `$` not followed by a name stays
    else if (name !== '') out += name === '$' ? '$' : (env[name] ?? '');
    i = dollar + 1 + width;
  }
  return out;
}

/** Go's getShellName: the variable name after a `$` and how many characters it used. */
function shellName(rest: string): { name: string; width: number } {
  if (rest.startsWith('{')) {
    if (rest.length > 2 && isSpecial(rest[1]) && rest[2] === '}') return { name: rest[1], width: 3 };
    const close = rest.indexOf('}');
    if (close < 0) return { name: '', width: 1 }; // bad syntax: eat the `{`
    if (close === 1) return { name: '', width: 2 }; // `${}`: eat it
    return { name: rest.slice(1, close), width: close + 1 };
  }
  if (rest.length > 0 && isSpecial(rest[0])) return { name: rest[0], width: 1 };
  let n = 0;
  while (n < rest.length && /[A-Za-z0-9_]/.test(rest[n])) n++;
  return { name: rest.slice(0, n), width: n };
}

function isSpecial(c: string): boolean {
  return '*#$@!?-'.includes(c) || (c >= '0' && c <= '9');
}
