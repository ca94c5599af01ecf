/**
 * Registration: Argo CD Application and AppProject documents as they are (YAML or JSON), and
 * gitwave Cluster documents. Input is validated by shared/model, whose errors name the file, the
 * object and the field (answered 400). Clusters and projects are admin-only (SECURITY.md §1,
 * GHSA-3jfq-742w-xg8j: whoever changes a cluster changes what every app can reach; a project is
 * the policy boundary), and an Application cannot move to another cluster unless an admin does it.
 * A new or changed Application gets a render queued, so its status appears without a push.
 */
import { randomUUID } from 'node:crypto';
import { parseApplication, type Application } from '../model/application.ts';
import { parseAppProject } from '../model/appproject.ts';
import { findDestinationCluster, parseCluster } from '../model/cluster.ts';
import { checkApplication } from '../model/project-policy.ts';
import { ItemTooLargeError } from '../store/errors.ts';
import { HttpError } from '../lambda/errors.ts';
import type { ApiDeps } from './deps.ts';
import { requireAdmin, type Caller } from './http.ts';
import { clusterNameOf, summaryOf, type AppSummary } from './views.ts';

/** What model errors call the document. */
const BODY = 'request body';

/** POST /api/applications */
export async function registerApplication(deps: ApiDeps, text: string, caller: Caller): Promise<AppSummary> {
  const app = parseApplication(text, BODY);
  const name = app.metadata.name;
  const project = await deps.store.getProject(app.spec.project);
  if (!project) throw new HttpError(400, `${BODY}: Application/${name}: spec.project: project "${app.spec.project}" is not registered`);
  const clusters = await deps.store.listClusters();
  const cluster = findDestinationCluster(clusters, app.spec.destination);
  if (!cluster) throw new HttpError(400, `${BODY}: Application/${name}: spec.destination: cluster ${clusterNameOf(app, clusters) || '(none)'} is not registered`);
  const reasons = checkApplication(project, app, cluster);
  if (reasons.length > 0) throw new HttpError(400, `${BODY}: Application/${name}: ${reasons.join('; ')}`);
  await refuseRetarget(deps, app, cluster.name, caller);
  try {
    await deps.store.putApplication(app, { sourceYaml: text });
  } catch (error) {
    if (error instanceof ItemTooLargeError) throw new HttpError(413, error.message);
    throw error;
  }
  await deps.queue.send([{ message: { app: name, trigger: 'drift' }, dedupeKey: `registered:${randomUUID()}` }]);
  return summaryOf(app, await deps.store.getStatus(name), clusters);
}

/**
 * An Application already registered keeps its cluster, unless an admin moves it; a child of an app of
 * apps is changed in its parent's Git folder, not here (an admin may take it over: the parent then
 * refuses to touch it, docs/app-of-apps.md).
 */
async function refuseRetarget(deps: ApiDeps, app: Application, cluster: string, caller: Caller): Promise<void> {
  const existing = await deps.store.getApplication(app.metadata.name);
  if (!existing) return;
  if (existing.parent !== undefined && !caller.admin) {
    throw new HttpError(409, `application ${app.metadata.name} is a child of application ${existing.parent} (app of apps): change it in the parent's manifests`);
  }
  const before = clusterNameOf(existing.app, await deps.store.listClusters());
  if (before !== cluster && !caller.admin) {
    throw new HttpError(403, `application ${app.metadata.name} deploys to cluster ${before}: moving it to ${cluster} is admin-only`);
  }
}

/** POST /api/projects (admin-only) */
export async function registerProject(deps: ApiDeps, text: string, caller: Caller): Promise<{ name: string }> {
  requireAdmin(caller, 'registering an AppProject');
  const project = parseAppProject(text, BODY);
  await deps.store.putProject(project);
  return { name: project.metadata.name };
}

/** POST /api/clusters (admin-only); the answer names the cluster, never how it is reached. */
export async function registerCluster(deps: ApiDeps, text: string, caller: Caller): Promise<{ name: string; labels: Record<string, string>; connection: string }> {
  requireAdmin(caller, 'registering a cluster');
  const cluster = parseCluster(text, BODY);
  await deps.store.putCluster(cluster);
  return { name: cluster.name, labels: cluster.labels, connection: cluster.connection.type };
}
