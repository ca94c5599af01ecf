/**
 * The AppProject restrictions as lint findings (SPEC-sync §7.2): the Application's repository and
 * destination, then every rendered object, hooks included, through the same policy function the
 * planner uses (shared/model/project-policy.ts): cluster-scoped kinds need the whitelist, namespaced
 * kinds the namespace lists, and an object's namespace must be a permitted destination. Scope comes
 * from the kind table and the CRDs of the render, never from whether `metadata.namespace` is set.
 */
import type { AppProject } from '../../model/appproject.ts';
import { scopeOf } from '../../model/kinds.ts';
import { groupOf } from '../../model/object.ts';
import { checkDestination, checkResourcePermitted, checkSourceRepo } from '../../model/project-policy.ts';
import type { RenderedObject } from '../types.ts';
import type { Finding, Severity } from './types.ts';

/** What the project check needs to know about the Application (without one: the kinds only). */
export interface ProjectContext {
  project: AppProject;
  destination?: { server?: string; name?: string; namespace?: string };
  repoURL?: string;
  /** The Application file as the user named it, for findings about the Application itself. */
  appFile?: string;
}

const FIX_DESTINATION = 'deploy to a destination the AppProject lists, or ask its owners to add this one';

/** Findings of the project check (rule `project`). */
export function projectFindings(objects: readonly RenderedObject[], ctx: ProjectContext, severity: Severity): Finding[] {
  const findings: Finding[] = [];
  const appFinding = (message: string, fix: string): Finding =>
    ({ rule: 'project', severity, file: ctx.appFile ?? '', line: null, kind: 'Application', namespace: null, name: null, message, fix });
  const repo = ctx.repoURL === undefined ? undefined : checkSourceRepo(ctx.project, ctx.repoURL);
  if (repo) findings.push(appFinding(repo, 'use a repository the AppProject lists in sourceRepos'));
  const dest = ctx.destination;
  const destination = dest ? checkDestination(ctx.project, dest) : undefined;
  if (destination) findings.push(appFinding(destination, FIX_DESTINATION));
  const crds = objects.map((o) => o.object);
  for (const { object, source } of objects) {
    const group = groupOf(object.apiVersion);
    const scope = scopeOf(group, object.kind, crds) ?? 'Namespaced';
    const namespace = scope === 'Cluster' ? '' : (object.metadata.namespace || dest?.namespace || '');
    const name = object.metadata.name ?? object.metadata.generateName ?? '';
    const reason = checkResourcePermitted(ctx.project, {
      group, kind: object.kind, namespace, name, scope,
      destination: dest ? { server: dest.server, name: dest.name } : undefined,
    });
    if (!reason) continue;
    findings.push({
      rule: 'project', severity, file: source.file, line: source.line,
      kind: object.kind, namespace: namespace || null, name,
      message: reason,
      fix: fixFor(reason),
    });
  }
  return findings;
}

function fixFor(reason: string): string {
  if (reason.includes('aws-auth')) return 'manage cluster access with EKS access entries, not through gitwave';
  if (reason.includes('clusterResource')) return 'remove the object, or have its kind added to the AppProject clusterResourceWhitelist';
  if (reason.includes('namespaceResource')) return 'remove the object, or have its kind allowed by the AppProject namespace resource lists';
  return FIX_DESTINATION;
}
