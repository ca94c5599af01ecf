/**
 * The app → project → cluster binding, read from DynamoDB by every worker: never from the queue
 * message or the execution input (SECURITY.md §1, GHSA-6p4m-hw2h-6gmw). A message can only name an
 * Application; where it deploys and what it may write come from the registry alone.
 */
import type { Application } from '../model/application.ts';
import type { AppProject } from '../model/appproject.ts';
import type { Cluster } from '../model/cluster.ts';
import { checkApplication } from '../model/project-policy.ts';
import type { RegistryStore, StoredApplication } from '../store/ports.ts';

export interface Binding {
  stored: StoredApplication;
  app: Application;
  project: AppProject;
  cluster: Cluster;
}

/** The binding is missing or forbids the sync: permanent until someone changes the registry. */
export class BindingError extends Error {
  override readonly name = 'BindingError';
}

/**
 * The registered Application, its project and the cluster its destination names, checked against
 * the project (repository, destination). Throws BindingError naming what is wrong.
 * @example const { app, project, cluster } = await loadBinding(store, 'web');
 */
export async function loadBinding(registry: RegistryStore, appName: string): Promise<Binding> {
  const stored = await registry.getApplication(appName);
  if (!stored) throw new BindingError(`application ${appName} is not registered`);
  const app = stored.app;
  const project = await registry.getProject(app.spec.project);
  if (!project) throw new BindingError(`application ${appName}: project "${app.spec.project}" is not registered`);
  const cluster = await destinationCluster(registry, app);
  const reasons = checkApplication(project, app, cluster);
  if (reasons.length > 0) throw new BindingError(`application ${appName}: ${reasons.join('; ')}`);
  return { stored, app, project, cluster };
}

/** The registered cluster the destination names (by name, or by server URL). */
async function destinationCluster(registry: RegistryStore, app: Application): Promise<Cluster> {
  const { name, server } = app.spec.destination;
  const cluster = name !== undefined
    ? await registry.getCluster(name)
    : (await registry.listClusters()).find((c) => c.server !== undefined && sameServer(c.server, server ?? ''));
  if (!cluster) {
    throw new BindingError(`application ${app.metadata.name}: destination ${name !== undefined ? `cluster ${name}` : `server ${server ?? '(none)'}`} is not a registered cluster`);
  }
  return cluster;
}

function sameServer(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/**
 * Refuses a task whose execution input or plan names another cluster than the registry does now
 * (the Application was re-targeted, or the input was forged).
 */
export function assertSameCluster(binding: Binding, ...named: string[]): void {
  for (const cluster of named) {
    if (cluster !== binding.cluster.name) {
      throw new BindingError(`application ${binding.app.metadata.name} deploys to cluster ${binding.cluster.name}, not ${cluster}`);
    }
  }
}
