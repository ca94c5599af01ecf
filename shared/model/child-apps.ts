/**
 * App of apps (docs/app-of-apps.md): the rules a child Application (an `argoproj.io` Application
 * document in a parent's rendered manifests) must meet before it is registered. A child can never
 * widen what its parent may do: it names the parent's project, or a project the parent's AppProject
 * lists in `gitwave.dev/child-projects` (AppProjects are admin-registered, so only an admin widens);
 * its destination must be one the parent's project permits as well as its own; and it may not take
 * over an Application registered by someone else (an admin, or another parent).
 */
import type { Application } from './application-types.ts';
import type { AppProject } from './appproject.ts';
import { checkApplication, checkDestination } from './project-policy.ts';

/** On a parent's AppProject: comma-separated names of other projects its children may name. */
export const CHILD_PROJECTS_ANNOTATION = 'gitwave.dev/child-projects';
/** On a parent Application: `"true"` opts in to the Application health check, so waves wait for children. */
export const WAIT_FOR_CHILDREN_ANNOTATION = 'gitwave.dev/wait-for-children';

/** What the registry holds about the child's parent, its project and the cluster it deploys to. */
export interface ParentFacts {
  app: Application;
  project: AppProject;
}

/** What the registry says about the child's names. */
export interface ChildFacts {
  child: Application;
  /** The child's project as registered (undefined: not registered). */
  project?: AppProject;
  /** The registered cluster its destination names (undefined: none). */
  cluster?: { name: string; server?: string };
  /** The parent recorded on an Application of that name already registered (null: registered without one). */
  existingParent?: string | null;
}

/**
 * The projects children of a parent in `project` may name: the parent's own, and those its AppProject lists.
 * @example allowedChildProjects(project) // ['team-a', 'team-a-jobs']
 */
export function allowedChildProjects(project: AppProject): string[] {
  const listed = (project.metadata.annotations?.[CHILD_PROJECTS_ANNOTATION] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  return [project.metadata.name, ...listed.filter((p) => p !== project.metadata.name)];
}

/**
 * Every reason the child may not be registered by this parent; empty when it may.
 * @example checkChild({ app: root, project: teamA }, { child, project: admin, cluster }) // ['project "admin" is not allowed …']
 */
export function checkChild(parent: ParentFacts, facts: ChildFacts): string[] {
  const { child } = facts;
  const name = child.metadata.name;
  if (name === parent.app.metadata.name) return ['an Application cannot register itself as its own child'];
  if (facts.existingParent === null) return [`Application ${name} is already registered by an admin, not by Application ${parent.app.metadata.name}`];
  if (facts.existingParent !== undefined && facts.existingParent !== parent.app.metadata.name) {
    return [`Application ${name} is already registered as a child of Application ${facts.existingParent}`];
  }
  const allowed = allowedChildProjects(parent.project);
  if (!allowed.includes(child.spec.project)) {
    return [`spec.project: project "${child.spec.project}" is not allowed for children of Application ${parent.app.metadata.name}: its project "${parent.project.metadata.name}" allows ${allowed.map((p) => `"${p}"`).join(', ')} (annotation ${CHILD_PROJECTS_ANNOTATION} on the AppProject)`];
  }
  if (!facts.project) return [`spec.project: project "${child.spec.project}" is not registered`];
  if (!facts.cluster) return [`spec.destination: ${describe(child)} is not a registered cluster`];
  const reasons = checkApplication(facts.project, child, facts.cluster);
  const { server, name: clusterName, namespace } = child.spec.destination;
  if (child.spec.project === parent.project.metadata.name) return reasons;
  const widened = checkDestination(parent.project, { server: server ?? facts.cluster.server, name: clusterName ?? facts.cluster.name, namespace });
  if (widened) reasons.push(`spec.destination: ${widened} (the parent's project; a child cannot reach further than its parent)`);
  return reasons;
}

function describe(app: Application): string {
  const { name, server } = app.spec.destination;
  return name !== undefined ? `cluster ${name}` : `server ${server ?? '(none)'}`;
}

/**
 * The health options of a parent's comparison and sync: the Application check only when it opted in.
 * @example childHealthOptions(app) // { applicationHealth: true }
 */
export function childHealthOptions(app: Application): { applicationHealth: boolean } {
  return { applicationHealth: app.metadata.annotations[WAIT_FOR_CHILDREN_ANNOTATION] === 'true' };
}
