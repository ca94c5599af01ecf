/**
 * The api λ's routes, all under `/api/` (IAM-authorised in AWS: the CLI) and again under `/ui/api/`
 * (JWT-authorised: the dashboard's people, read-only without the deployer or admin group; http.ts):
 *
 *   GET  /api/applications                      list (issue 6 shape)
 *   GET  /api/applications?page=&pageSize=&…    one page, filtered and counted (application-pages.ts; rows kept
 *                                               a few seconds, list-snapshot.ts)
 *   POST /api/applications                      register an Argo CD Application
 *   GET  /api/applications/{name}               one, with resources
 *   GET  /api/applications/{name}/history       successful deploys, newest first
 *   GET  /api/applications/{name}/operations    every attempt, newest first
 *   GET  /api/applications/{name}/diff          what a sync would change
 *   POST /api/applications/{name}/sync          manual sync {revision?, prune?, dryRun?, overrides?: {images}}
 *   POST /api/applications/{name}/rollback      {id, prune?}
 *   GET  /api/applications/{name}/operation     the current operation, live: steps, waves, the sentence
 *   GET  /api/applications/{name}/activity      conditions and the running (or last) operation in words
 *   DELETE /api/applications/{name}             unregister {cascade?}: keep (default) or delete its objects
 *   GET  /api/executions/{name}                 a sync execution: definition, history, console link
 *   GET  /api/projects, /api/projects/{name}    AppProjects
 *   POST /api/projects                          register an AppProject (admin)
 *   GET  /api/clusters, /api/clusters/{name}    Clusters (never how they are reached)
 *   POST /api/clusters                          register a Cluster (admin)
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { HttpError } from '../lambda/errors.ts';
import { applicationHistory, applicationOperations, getApplication, listApplications } from './applications.ts';
import type { ApiDeps } from './deps.ts';
import { applicationDiff } from './diff.ts';
import { applicationActivity } from './activity.ts';
import { getExecution } from './executions.ts';
import { listApplicationPage, parseListQuery, wantsPage } from './application-pages.ts';
import { forgetSnapshot } from './list-snapshot.ts';
import { answer, apiRequest, jsonBody, requireWriter, type ApiRequest } from './http.ts';
import { requestRollback, requestSync } from './operate.ts';
import { registerApplication, registerCluster, registerProject } from './register.ts';
import { getCluster, getProject, listClusters, listProjects } from './catalog.ts';
import { applicationOperation } from './operation-view.ts';
import { deleteApplication } from './remove.ts';

type Route = (deps: ApiDeps, request: ApiRequest, name: string) => Promise<APIGatewayProxyStructuredResultV2>;

const ok = (value: unknown) => answer(200, value);

/** Routes by shape: collection → `[method]`, item → `[method]`, item action → `[action][method]`. */
const COLLECTIONS: Record<string, Partial<Record<string, Route>>> = {
  applications: {
    GET: async (deps, request) => ok(wantsPage(request.query) ? await listApplicationPage(deps, parseListQuery(request.query)) : await listApplications(deps)),
    POST: async (deps, request) => answer(201, await registerApplication(deps, request.text, request.caller)),
  },
  projects: {
    GET: async (deps) => ok(await listProjects(deps)),
    POST: async (deps, request) => answer(201, await registerProject(deps, request.text, request.caller)),
  },
  clusters: {
    GET: async (deps) => ok(await listClusters(deps)),
    POST: async (deps, request) => answer(201, await registerCluster(deps, request.text, request.caller)),
  },
};

const APPLICATION: Record<string, Partial<Record<string, Route>>> = {
  '': {
    GET: async (deps, _request, name) => ok(await getApplication(deps, name)),
    DELETE: async (deps, request, name) => ok(await deleteApplication(deps, name, jsonBody(request))),
  },
  operation: { GET: async (deps, _request, name) => ok(await applicationOperation(deps, name)) },
  history: { GET: async (deps, _request, name) => ok(await applicationHistory(deps, name)) },
  operations: { GET: async (deps, _request, name) => ok(await applicationOperations(deps, name)) },
  diff: { GET: async (deps, _request, name) => ok(await applicationDiff(deps, name)) },
  activity: { GET: async (deps, _request, name) => ok(await applicationActivity(deps, name)) },
  sync: { POST: async (deps, request, name) => answer(202, await requestSync(deps, name, jsonBody(request), request.caller)) },
  rollback: { POST: async (deps, request, name) => answer(202, await requestRollback(deps, name, jsonBody(request), request.caller)) },
};

/** Item routes by collection: `/api/<collection>/<name>[/<action>]`. */
const ITEMS: Record<string, Record<string, Partial<Record<string, Route>>>> = {
  applications: APPLICATION,
  projects: { '': { GET: async (deps, _request, name) => ok(await getProject(deps, name)) } },
  clusters: { '': { GET: async (deps, _request, name) => ok(await getCluster(deps, name)) } },
  executions: { '': { GET: async (deps, _request, name) => ok(await getExecution(deps.executions, name)) } },
};

/**
 * Answers one API request.
 * @example await routeApiRequest(deps, event) // { statusCode: 200, body: '[{"name":"web",…}]' }
 */
export async function routeApiRequest(deps: ApiDeps, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const request = apiRequest(event);
  const [collection, name, action = '', ...rest] = request.segments;
  const item = rest.length === 0 && Object.hasOwn(ITEMS, collection ?? '') ? ITEMS[collection] : undefined;
  const methods = name === undefined ? COLLECTIONS[collection ?? ''] : item && Object.hasOwn(item, action) ? item[action] : undefined;
  if (!methods) throw new HttpError(404, `no route for ${request.method} /api/${request.segments.join('/')}`);
  const route = methods[request.method];
  if (!route) throw new HttpError(405, `${request.method} is not allowed here (allowed: ${Object.keys(methods).join(', ')})`);
  requireWriter(request.caller, request.method);
  const answered = await route(deps, request, name ?? '');
  // A write through this process shows in the next list at once (list-snapshot.ts).
  if (request.method !== 'GET') forgetSnapshot(deps.store);
  return answered;
}
