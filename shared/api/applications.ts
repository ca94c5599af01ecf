/**
 * The read routes: list and get Applications (issue 6 shapes), history (newest first; deploys with
 * one-off overrides marked as not from Git, with the overrides), operation records, and the diff.
 */
import { HttpError } from '../lambda/errors.ts';
import type { StoredApplication } from '../store/ports.ts';
import { BindingError, loadBinding, type Binding } from '../engine/binding.ts';
import { mapLimit } from '../engine/live.ts';
import type { ApiDeps } from './deps.ts';
import { detailOf, historyView, operationView, summaryOf, type AppDetail, type AppSummary } from './views.ts';

/** Operation-record reads in flight at once, for rows whose status carries no operation. */
const LAST_OPERATION_READS = 16;

/** The registered Application or a 404 naming it. */
export async function requireApplication(deps: ApiDeps, name: string): Promise<StoredApplication> {
  const stored = await deps.store.getApplication(name);
  if (!stored) throw new HttpError(404, `application ${name} not found`);
  return stored;
}

/** The binding, or a 409 saying why the registry does not allow the Application. */
export async function bindingOf(deps: ApiDeps, name: string): Promise<Binding> {
  try {
    return await loadBinding(deps.store, name);
  } catch (error) {
    if (error instanceof BindingError) throw new HttpError(409, error.message);
    throw error;
  }
}

async function summary(deps: ApiDeps, stored: StoredApplication, clusters: Parameters<typeof summaryOf>[2]): Promise<{ summary: AppSummary; status: Awaited<ReturnType<ApiDeps['store']['getStatus']>> }> {
  const name = stored.app.metadata.name;
  const status = await deps.store.getStatus(name);
  const last = status?.operationState ? undefined : (await deps.store.listOperations(name))[0];
  return { summary: summaryOf(stored.app, status, clusters, last), status };
}

/** GET /api/applications */
export async function listApplications(deps: ApiDeps): Promise<AppSummary[]> {
  const [apps, clusters] = await Promise.all([deps.store.listApplications({ withoutSourceYaml: true }), deps.store.listClusters()]);
  const statuses = await deps.store.getStatusSummaries(apps.map((stored) => stored.app.metadata.name));
  const rows = await mapLimit(apps, LAST_OPERATION_READS, async (stored) => {
    const status = statuses.get(stored.app.metadata.name);
    // An operation the status does not carry (yet): the newest attempt recorded.
    const last = status?.operationState ? undefined : (await deps.store.listOperations(stored.app.metadata.name))[0];
    return summaryOf(stored.app, status, clusters, last);
  });
  return rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** GET /api/applications/{name} */
export async function getApplication(deps: ApiDeps, name: string): Promise<AppDetail> {
  const stored = await requireApplication(deps, name);
  const { summary: row, status } = await summary(deps, stored, await deps.store.listClusters());
  return detailOf(row, status);
}

/** GET /api/applications/{name}/history: successful deploys, newest first. */
export async function applicationHistory(deps: ApiDeps, name: string) {
  await requireApplication(deps, name);
  const entries = (await deps.store.listHistory(name)).reverse();
  return Promise.all(entries.map(async (entry) => {
    if (entry.fromGit) return historyView(entry);
    const record = await deps.store.getOperation(name, entry.syncId);
    return historyView(entry, (record?.result as { overrides?: Record<string, unknown> } | undefined)?.overrides);
  }));
}

/** GET /api/applications/{name}/operations: every attempt, newest first. */
export async function applicationOperations(deps: ApiDeps, name: string) {
  await requireApplication(deps, name);
  return (await deps.store.listOperations(name)).map(operationView);
}
