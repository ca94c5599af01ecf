/**
 * What an AppProject permits (SPEC-sync §7.2), as pure checks returning `undefined` when allowed or
 * the reason when not. The planner runs checkResourcePermitted on every task, hooks included, so a
 * PreSync hook is held to the same rules as a wave; `gitwave lint` runs them all.
 *
 * Deny semantics: a pattern `!glob` denies. A sourceRepos deny wins over any allow. A destination
 * entry with a `!` in any field is a deny entry: it denies the destinations it would match with its
 * `!` removed, and a deny wins over every allow entry.
 */
import type { Application } from './application-types.ts';
import type { AppProject, ProjectDestination, ResourceRule } from './appproject.ts';
import { globMatch, isDenyPattern } from './glob.ts';
import { normalizeRepoURL, redactRepoURL } from './repo-url.ts';

/** A destination as checked: server and/or name (both when the cluster registry resolved one). */
export interface DestinationRef {
  server?: string;
  name?: string;
  /** "" or absent for cluster-scoped destinations. */
  namespace?: string;
}

/** One object to be written (or a hook to be created). */
export interface ResourceRef {
  group: string;
  kind: string;
  /** "" for cluster-scoped objects. */
  namespace: string;
  name: string;
  scope: 'Namespaced' | 'Cluster';
  /** When given, a namespaced object's namespace is also checked against the project destinations. */
  destination?: Omit<DestinationRef, 'namespace'>;
}

/**
 * Whether the project allows the repository. URLs and patterns are compared normalised
 * (`git@github.com:org/x.git` = `https://github.com/org/x`).
 * @example checkSourceRepo(DEFAULT_PROJECT, 'https://github.com/org/x') // undefined
 */
export function checkSourceRepo(project: { metadata: { name: string }; spec: { sourceRepos: readonly string[] } }, repoURL: string): string | undefined {
  const url = normalizeRepoURL(repoURL);
  const matches = (pattern: string) => globMatch(normalizeRepoURL(pattern), url);
  const patterns = project.spec.sourceRepos;
  const denied = patterns.some((p) => isDenyPattern(p) && matches(p.slice(1)));
  const allowed = patterns.some((p) => !isDenyPattern(p) && matches(p));
  if (denied || !allowed) {
    return `repository ${redactRepoURL(repoURL)} is ${denied ? 'denied' : 'not permitted'} in project "${project.metadata.name}"`;
  }
  return undefined;
}

/**
 * Whether the project allows the destination: (server or name matches) and namespace matches, and no
 * deny entry matches.
 * @example checkDestination(project, { server: 'https://dev.example', namespace: 'kube-system' })
 *   // 'destination server https://dev.example, namespace kube-system is denied in project "team-a"'
 */
export function checkDestination(project: AppProject, destination: DestinationRef): string | undefined {
  const entries = project.spec.destinations;
  const denied = entries.some((entry) => isDenyEntry(entry) && destinationMatches(stripDeny(entry), destination));
  const allowed = entries.some((entry) => !isDenyEntry(entry) && destinationMatches(entry, destination));
  if (denied || !allowed) {
    return `destination ${describeDestination(destination)} is ${denied ? 'denied' : 'not permitted'} in project "${project.metadata.name}"`;
  }
  return undefined;
}

function destinationMatches(entry: ProjectDestination, destination: DestinationRef): boolean {
  const server = entry.server !== undefined && destination.server !== undefined && globMatch(entry.server, destination.server);
  const name = entry.name !== undefined && destination.name !== undefined && globMatch(entry.name, destination.name);
  return (server || name) && globMatch(entry.namespace ?? '', destination.namespace ?? '');
}

function isDenyEntry(entry: ProjectDestination): boolean {
  return [entry.server, entry.name, entry.namespace].some((p) => p !== undefined && isDenyPattern(p));
}

function stripDeny(entry: ProjectDestination): ProjectDestination {
  const strip = (p?: string) => (p !== undefined && isDenyPattern(p) ? p.slice(1) : p);
  return { server: strip(entry.server), name: strip(entry.name), namespace: strip(entry.namespace) };
}

function describeDestination(destination: DestinationRef): string {
  const where = destination.server !== undefined ? `server ${destination.server}` : `name ${destination.name ?? '(none)'}`;
  return `${where}, namespace ${destination.namespace || '(none)'}`;
}

/**
 * Whether the project allows writing this object: never `kube-system/aws-auth` (SECURITY.md §5);
 * cluster-scoped kinds only when whitelisted and not blacklisted (empty whitelist = none); namespaced
 * kinds when the whitelist is absent or matches, and the blacklist does not; and, when `destination`
 * is given, the object's namespace must be a permitted destination.
 * @example checkResourcePermitted(DEFAULT_PROJECT, { group: '', kind: 'ConfigMap', namespace: 'kube-system', name: 'aws-auth', scope: 'Namespaced' })
 *   // 'kube-system/aws-auth is managed through EKS access entries; gitwave never writes it'
 */
export function checkResourcePermitted(project: AppProject, resource: ResourceRef): string | undefined {
  if (isAwsAuth(resource)) return 'kube-system/aws-auth is managed through EKS access entries; gitwave never writes it';
  const spec = project.spec;
  const what = `${resource.scope === 'Cluster' ? 'cluster-scoped' : 'namespaced'} resource ${describeKind(resource)}`;
  const inProject = `in project "${project.metadata.name}"`;
  if (resource.scope === 'Cluster') {
    if (ruleMatches(spec.clusterResourceBlacklist, resource)) return `${what} is denied ${inProject} (clusterResourceBlacklist)`;
    if (!ruleMatches(spec.clusterResourceWhitelist, resource)) return `${what} is not permitted ${inProject} (not in clusterResourceWhitelist)`;
    return undefined;
  }
  const whitelist = spec.namespaceResourceWhitelist;
  if (whitelist !== undefined && !ruleMatches(whitelist, resource)) return `${what} is not permitted ${inProject} (not in namespaceResourceWhitelist)`;
  if (ruleMatches(spec.namespaceResourceBlacklist, resource)) return `${what} is denied ${inProject} (namespaceResourceBlacklist)`;
  if (resource.destination) return checkDestination(project, { ...resource.destination, namespace: resource.namespace });
  return undefined;
}

function ruleMatches(rules: readonly ResourceRule[], resource: ResourceRef): boolean {
  return rules.some((rule) => globMatch(rule.group, resource.group) && globMatch(rule.kind, resource.kind)
    && (rule.name === undefined || globMatch(rule.name, resource.name)));
}

function isAwsAuth(resource: ResourceRef): boolean {
  return resource.group === '' && resource.kind === 'ConfigMap' && resource.namespace === 'kube-system' && resource.name === 'aws-auth';
}

function describeKind(resource: { group: string; kind: string }): string {
  return resource.group === '' ? resource.kind : `${resource.group}/${resource.kind}`;
}

/**
 * Every reason the project refuses the Application itself (project name, repository, destination), each
 * starting with the field it is about;
 * empty when it is permitted. `cluster` resolves a destination given by name to its server, or back.
 */
export function checkApplication(project: AppProject, app: Application, cluster?: { name: string; server?: string }): string[] {
  const reasons: string[] = [];
  if (app.spec.project !== project.metadata.name) {
    reasons.push(`spec.project: application belongs to project "${app.spec.project}", not "${project.metadata.name}"`);
  }
  const repo = checkSourceRepo(project, app.spec.source.repoURL);
  if (repo) reasons.push(`spec.source.repoURL: ${repo}`);
  const { server, name, namespace } = app.spec.destination;
  const destination = checkDestination(project, { server: server ?? cluster?.server, name: name ?? cluster?.name, namespace });
  if (destination) reasons.push(`spec.destination: ${destination}`);
  return reasons;
}
