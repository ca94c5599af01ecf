/**
 * The write routes a person uses on one Application: a manual sync (revision, prune, dry run, chosen
 * resources only (a selective sync: no hooks, no history entry), and one-off image overrides: the Git-independent deploy, only on clusters labelled env=dev and
 * recorded in history as not from Git, SECURITY.md §1 CVE-2023-50726) and a rollback to a history
 * entry (refused while auto-sync is on; that entry's revision and source, the apply strategy so no
 * hooks run, SPEC-sync §7.3). Each stores an operation request and queues only its id; render and
 * plan read it back and check the registry again.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { isAutomated } from '../model/application.ts';
import { allowsOverrides } from '../model/cluster.ts';
import { checkRevisionSyntax, RevisionError } from '../source/index.ts';
import { HttpError } from '../lambda/errors.ts';
import type { OperationRequest } from '../engine/requests.ts';
import type { ResourceKey } from '../model/object.ts';
import type { ApiDeps } from './deps.ts';
import { bindingOf, requireApplication } from './applications.ts';
import type { Caller } from './http.ts';

/** `name=ref` as `kustomize edit set image` takes it (`web=ghcr.io/acme/web:dev-42`, `web=…@sha256:…`). */
const IMAGE_OVERRIDE = /^[A-Za-z0-9][A-Za-z0-9._/:-]*=[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/;

const syncBody = z.strictObject({
  revision: z.string().min(1).optional(),
  prune: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  resources: z.array(z.strictObject({
    group: z.string(), kind: z.string().min(1), namespace: z.string().optional(), name: z.string().min(1),
  })).min(1).optional(),
  overrides: z.strictObject({ images: z.array(z.string().regex(IMAGE_OVERRIDE, 'must be name=image[:tag|@digest]')).min(1) }).optional(),
});

const rollbackBody = z.strictObject({
  id: z.number().int().min(0),
  prune: z.boolean().optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new HttpError(400, `${what}: field ${issue.path.join('.') || '(body)'}: ${issue.message.toLowerCase()}`);
}

export interface Queued {
  /** The id of the stored request; the operation it starts records it (`operation.requestId`). */
  requestId: string;
  /** The same id, under the name the CLI prints. */
  syncId: string;
  message: string;
}

/** POST /api/applications/{name}/sync */
export async function requestSync(deps: ApiDeps, name: string, body: unknown, caller: Caller): Promise<Queued> {
  const options = parseBody(syncBody, body, 'sync request');
  await requireApplication(deps, name);
  const { cluster } = await bindingOf(deps, name);
  if (options.revision !== undefined) {
    try {
      checkRevisionSyntax(options.revision);
    } catch (error) {
      if (error instanceof RevisionError) throw new HttpError(400, error.message);
      throw error;
    }
  }
  if (options.overrides && !allowsOverrides(cluster)) {
    throw new HttpError(403, `one-off overrides are allowed only on clusters labelled env=dev; ${name} deploys to ${cluster.name}`);
  }
  const resources = options.resources && await selectedResources(deps, name, options.resources);
  return enqueue(deps, name, caller, {
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(resources ? { resources } : {}),
    ...(options.prune !== undefined ? { prune: options.prune } : {}),
    ...(options.dryRun !== undefined ? { dryRun: options.dryRun } : {}),
    ...(options.overrides ? { overrides: { kustomize: { images: options.overrides.images } } } : {}),
  }, options.overrides ? 'sync queued with one-off overrides (recorded as not from Git)' : 'sync queued');
}

/** The chosen resources as keys, each one the Application's last comparison knows (else a 400 naming it). */
async function selectedResources(deps: ApiDeps, name: string, chosen: ReadonlyArray<Omit<ResourceKey, 'namespace'> & { namespace?: string }>): Promise<ResourceKey[]> {
  const known = new Set(((await deps.store.getStatus(name))?.resources ?? []).map((r) => resourceId(r as Partial<ResourceKey>)));
  const selected = chosen.map((r) => ({ group: r.group, kind: r.kind, namespace: r.namespace ?? '', name: r.name }));
  const unknown = selected.find((r) => !known.has(resourceId(r)));
  if (unknown) {
    const where = unknown.namespace ? ` in namespace ${unknown.namespace}` : '';
    throw new HttpError(400, `sync request: field resources: ${unknown.group ? `${unknown.group}/` : ''}${unknown.kind}/${unknown.name}${where} is not a resource of ${name} (as last compared)`);
  }
  return selected;
}

const resourceId = (r: Partial<ResourceKey>) => JSON.stringify([r.group ?? '', r.kind ?? '', r.namespace ?? '', r.name ?? '']);

/** POST /api/applications/{name}/rollback */
export async function requestRollback(deps: ApiDeps, name: string, body: unknown, caller: Caller): Promise<Queued & { revision: string }> {
  const { id, prune } = parseBody(rollbackBody, body, 'rollback request');
  const stored = await requireApplication(deps, name);
  if (isAutomated(stored.app)) throw new HttpError(409, `rollback of ${name} is refused while automated sync is on: turn syncPolicy.automated off first`);
  await bindingOf(deps, name);
  const entry = (await deps.store.listHistory(name)).find((h) => h.id === id);
  if (!entry) throw new HttpError(404, `application ${name} has no history entry ${id}`);
  const queued = await enqueue(deps, name, caller, {
    revision: entry.revision, rollbackId: id, strategy: 'apply', ...(prune !== undefined ? { prune } : {}),
  }, `rollback to ${entry.revision} queued (apply strategy: no hooks run)`);
  return { ...queued, revision: entry.revision };
}

type RequestOptions = Omit<OperationRequest, 'requestId' | 'app' | 'initiatedBy' | 'createdAt'>;

async function enqueue(deps: ApiDeps, app: string, caller: Caller, options: RequestOptions, message: string): Promise<Queued> {
  const requestId = (deps.newId ?? randomUUID)();
  const now = new Date((deps.now ?? Date.now)()).toISOString();
  await deps.requests.putRequest({ requestId, app, ...options, initiatedBy: { username: caller.username }, createdAt: now });
  await deps.queue.send([{ message: { app, requestId, trigger: 'manual' }, dedupeKey: `request:${requestId}` }]);
  return { requestId, syncId: requestId, message };
}
