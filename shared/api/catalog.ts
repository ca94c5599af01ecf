/**
 * The read routes for projects and clusters (`gitwave project list|get`, `gitwave cluster list|get`).
 * A project is policy, shown whole. A cluster is shown by name, server, labels, how it is reached
 * (`eks` or `kubeconfig`, never role ARNs or file paths) and how many Applications deploy to it.
 */
import type { AppProject } from '../model/appproject.ts';
import type { Cluster } from '../model/cluster.ts';
import { HttpError } from '../lambda/errors.ts';
import type { ApiDeps } from './deps.ts';
import { clusterNameOf } from './views.ts';

export interface ProjectView {
  name: string;
  description: string;
  sourceRepos: string[];
  destinations: AppProject['spec']['destinations'];
  clusterResourceWhitelist: AppProject['spec']['clusterResourceWhitelist'];
  clusterResourceBlacklist: AppProject['spec']['clusterResourceBlacklist'];
  namespaceResourceWhitelist: AppProject['spec']['namespaceResourceWhitelist'] | null;
  namespaceResourceBlacklist: AppProject['spec']['namespaceResourceBlacklist'];
  /** Applications registered in the project. */
  applications: number;
}

export interface ClusterView {
  name: string;
  server: string | null;
  labels: Record<string, string>;
  connection: 'eks' | 'kubeconfig';
  applications: number;
}

function projectView(project: AppProject, applications: number): ProjectView {
  const { spec } = project;
  return {
    name: project.metadata.name,
    description: spec.description ?? '',
    sourceRepos: spec.sourceRepos,
    destinations: spec.destinations,
    clusterResourceWhitelist: spec.clusterResourceWhitelist,
    clusterResourceBlacklist: spec.clusterResourceBlacklist,
    namespaceResourceWhitelist: spec.namespaceResourceWhitelist ?? null,
    namespaceResourceBlacklist: spec.namespaceResourceBlacklist,
    applications,
  };
}

function clusterView(cluster: Cluster, applications: number): ClusterView {
  return { name: cluster.name, server: cluster.server ?? null, labels: cluster.labels, connection: cluster.connection.type, applications };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** How many registered Applications each project and each cluster has. */
async function counts(deps: ApiDeps, clusters: readonly Cluster[]) {
  const apps = (await deps.store.listApplications()).map((s) => s.app);
  const count = (of: (app: (typeof apps)[number]) => string, name: string) => apps.filter((a) => of(a) === name).length;
  return {
    inProject: (name: string) => count((a) => a.spec.project, name),
    onCluster: (name: string) => count((a) => clusterNameOf(a, clusters), name),
  };
}

/** GET /api/projects */
export async function listProjects(deps: ApiDeps): Promise<ProjectView[]> {
  const [projects, clusters] = await Promise.all([deps.store.listProjects(), deps.store.listClusters()]);
  const { inProject } = await counts(deps, clusters);
  return projects.map((p) => projectView(p, inProject(p.metadata.name))).sort(byName);
}

/** GET /api/projects/{name} */
export async function getProject(deps: ApiDeps, name: string): Promise<ProjectView> {
  const project = await deps.store.getProject(name);
  if (!project) throw new HttpError(404, `project ${name} not found`);
  const { inProject } = await counts(deps, await deps.store.listClusters());
  return projectView(project, inProject(name));
}

/** GET /api/clusters */
export async function listClusters(deps: ApiDeps): Promise<ClusterView[]> {
  const clusters = await deps.store.listClusters();
  const { onCluster } = await counts(deps, clusters);
  return clusters.map((c) => clusterView(c, onCluster(c.name))).sort(byName);
}

/** GET /api/clusters/{name} */
export async function getCluster(deps: ApiDeps, name: string): Promise<ClusterView> {
  const clusters = await deps.store.listClusters();
  const cluster = clusters.find((c) => c.name === name);
  if (!cluster) throw new HttpError(404, `cluster ${name} not found`);
  const { onCluster } = await counts(deps, clusters);
  return clusterView(cluster, onCluster(name));
}
