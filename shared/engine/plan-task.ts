/**
 * The plan step (plan λ, called by render with a PlanRequest): compare the render with the cluster,
 * write the status (SPEC-sync §5.1: the comparison at this revision, also while a sync holds the
 * cluster; observed-status.ts), decide whether a sync starts (a person asked, or the automated policy says so,
 * SPEC-sync §6), and if so write the plan document and hand the sync, under an id derived from app +
 * revision + request (so a duplicate request starts nothing new), to the cluster's writer. The binding is read from
 * the registry, never from the request (SECURITY.md §1).
 */
import { groupOf, keyString } from '../model/object.ts';
import type { AppStatus, OperationRecord } from '../store/ports.ts';
import { decideAutoSync, type AutoSyncDecision } from '../sync/auto-sync.ts';
import { planSync } from '../sync/plan.ts';
import type { PlanRequest, PlanResult } from './contracts.ts';
import { BindingError, loadBinding, type Binding } from './binding.ts';
import { discoverKinds, projectCheck } from './cluster-policy.ts';
import { compareApp, type Comparison } from './compare.ts';
import { nowOf, type EngineDeps } from './deps.ts';
import { executionName } from './executions.ts';
import { distinctKinds, listManagedLive, liveRefOf } from './live.ts';
import { planSettings, requestedOptions, trackDesired } from './operation-options.ts';
import { autoSyncInput, startDecision, type StartDecision } from './plan-decision.ts';
import { planKey, writePlanOnce, PLAN_FORMAT, type OperationOptions, type PlanDocument } from './plan-document.ts';
import { readRenderDocument } from './render-store.ts';
import { observeStatus } from './observed-status.ts';
import { readLatestRequest, recordLatestRequest } from './supersede.ts';
import { requestSync } from './wake-writer.ts';
import { renderTarget } from './render-request-target.ts';
import type { OperationRequest } from './requests.ts';
import type { ApplicationSource } from '../model/application.ts';
import type { ClusterClient } from '../kube/index.ts';
import { withChildApplications } from './child-apps.ts';
import { refreshCapabilities } from './capabilities.ts';
import { childHealthOptions } from '../model/child-apps.ts';

/** What the plan step found, before deciding. */
interface Planned {
  binding: Binding;
  comparison: Comparison;
  doc: Omit<PlanDocument, 'syncId' | 'operation' | 'settings'>;
}

/** The comparison and what was decided from it, as written to the status. */
interface Observed {
  planned: Planned;
  lastOperation?: OperationRecord;
  auto?: AutoSyncDecision;
}

/**
 * Plans one Application at one revision and starts its sync when due.
 * @example await runPlan(deps, { app: 'web', revision: sha, renderKey: 'rendered/….json', trigger: 'webhook' }) // { app: 'web', outcome: 'started', syncId, executionArn }
 */
export async function runPlan(deps: EngineDeps, req: PlanRequest): Promise<PlanResult> {
  const binding = await loadBinding(deps.store, req.app);
  const request = req.requestId ? await deps.requests?.getRequest(req.app, req.requestId) : undefined;
  if (req.requestId && !request) throw new BindingError(`application ${req.app}: operation request ${req.requestId} not found`);
  const startedAt = Math.floor(nowOf(deps) / 1000);
  let manual: OperationOptions | undefined;
  try {
    manual = request ? requestedOptions(req, request, binding.app, binding.cluster) : undefined;
  } catch (error) {
    if (!(error instanceof BindingError)) throw error;
    await refuse(deps, binding, req, error.message);
    return { app: req.app, outcome: 'planned' };
  }
  const kube = withChildApplications(await deps.connect(binding.cluster, { purpose: 'deploy', syncId: req.requestId ?? req.revision }), deps, binding);
  await refreshCapabilities({ store: deps.store, now: nowOf(deps), log: deps.log }, binding.cluster.name, kube);
  const { planned, lastOperation, auto } = await observeStatus(deps.store, req.app, (previous) => observe(deps, kube, req, binding, manual, startedAt, previous));
  if (request?.rollbackId !== undefined) planned.doc.source = await rollbackSource(deps, binding, request);
  const decision = startDecision(req, manual, auto, lastOperation);
  if (!decision.start) return { app: req.app, outcome: planned.comparison.sync === 'Synced' ? 'inSync' : 'planned' };
  return start(deps, planned, req, decision, startedAt);
}

/** A rollback deploys its history entry's source, and the operation and history record it (SPEC-sync §7.3). */
async function rollbackSource(deps: EngineDeps, binding: Binding, request: OperationRequest): Promise<ApplicationSource> {
  return (await renderTarget(deps.store, binding.app.metadata.name, binding.app.spec.source, request)).source;
}

function comparisonOptions(req: PlanRequest): OperationOptions {
  return { trigger: req.trigger, initiatedBy: { automated: true }, dryRun: false, prune: false, strategy: 'hook' };
}

/** One comparison from the status as read (`previous`), the auto-sync decision, and the status they make. */
async function observe(
  deps: EngineDeps, kube: ClusterClient, req: PlanRequest, binding: Binding, manual: OperationOptions | undefined, startedAt: number, previous: AppStatus | undefined,
): Promise<{ status: AppStatus; value: Observed }> {
  // Status shows the whole app: compare without the operation's selection or strategy.
  const planned = await compare(deps, kube, req, binding, comparisonOptions(req), startedAt, previous);
  const lastOperation = (await deps.store.listOperations(req.app))[0];
  const running = await isRunning(deps, binding, lastOperation, req.revision);
  const auto = manual ? undefined : decideAutoSync(autoSyncInput(binding.app, planned.comparison, running, lastOperation, req.revision, startedAt));
  return { status: observedStatus(deps, planned, req, auto), value: { planned, lastOperation, auto } };
}

async function compare(deps: EngineDeps, kube: ClusterClient, req: PlanRequest, binding: Binding, options: OperationOptions, startedAt: number, previous: AppStatus | undefined): Promise<Planned> {
  const { app, project, cluster } = binding;
  const settings = planSettings(app, options, req.revision, startedAt);
  const desired = trackDesired((await readRenderDocument(deps.blobs, req.renderKey)).objects.map((o) => o.object), settings);
  const before = (previous?.resources ?? []) as Array<{ group: string; kind: string }>;
  const keys = new Set(planSync({ desired, settings, live: [] }).tasks.map((t) => keyString(t.key)));
  const kinds = distinctKinds([...desired.map((o) => ({ group: groupOf(o.apiVersion), kind: o.kind })), ...before]);
  const live = await listManagedLive(kube, kinds, settings.appInstance, keys);
  const facts = await discoverKinds(kube, [...desired, ...live]);
  const input = { desired, live, settings, isServed: facts.isServed, checkProject: projectCheck(project, cluster, facts) };
  const comparison = await compareApp(kube, input, app.spec.ignoreDifferences, childHealthOptions(app));
  const doc = {
    format: PLAN_FORMAT, app: req.app, cluster: cluster.name, project: project.metadata.name, revision: req.revision,
    source: app.spec.source, renderKey: req.renderKey, startedAt: new Date(startedAt * 1000).toISOString(),
    destination: { ...app.spec.destination, namespace: app.spec.destination.namespace ?? '' }, desired,
    liveRefs: comparison.plan.tasks.filter((t) => t.action === 'prune' && t.live).map((t) => liveRefOf(t.live!)),
    outOfSync: comparison.outOfSync, ignoreDifferences: app.spec.ignoreDifferences, revisionHistoryLimit: app.spec.revisionHistoryLimit,
  } as const;
  return { binding, comparison, doc };
}

/**
 * Whether the last operation still runs: recorded Running, still the app's pending sync AND a live
 * writer holds the cluster (a writer that died without the janitor hearing of it must not block
 * auto-sync forever). One of another revision does not block: the new request replaces it as the
 * app's pending sync, and supersedes it if it has applied nothing yet (supersede.ts), so pushes
 * during a sync end on the newest commit. Except a sync parked for its children (yield-to-children.ts),
 * which blocks until it ends.
 */
async function isRunning(deps: EngineDeps, binding: Binding, last: OperationRecord | undefined, revision: string): Promise<boolean> {
  if (last?.phase !== 'Running') return false;
  const [lock, pending] = await Promise.all([deps.store.read(binding.cluster.name), deps.store.getPending(binding.cluster.name, last.app)]);
  if (lock?.held !== true || pending?.syncId !== last.syncId) return false;
  // A parked sync has applied part of its revision and resumes in the writer's next round: a newer
  // request would replace it in the queue and leave its operation Running for ever.
  return last.revision === revision || pending.parked === true;
}

/**
 * The comparison as status: its sync status at the revision compared (SPEC-sync §5.1), not the last one
 * synced. The operation state is left to the sync's own tasks: one read before a sync recorded its end
 * would put the operation back to Running.
 */
function observedStatus(deps: EngineDeps, planned: Planned, req: PlanRequest, auto?: AutoSyncDecision): AppStatus {
  const { comparison } = planned;
  return {
    sync: { status: comparison.sync, revision: req.revision },
    health: comparison.health, resources: comparison.resources, desiredKey: req.renderKey,
    reconciledAt: new Date(nowOf(deps)).toISOString(),
    conditions: [
      ...comparison.plan.errors.map((e) => ({ type: 'ComparisonError', message: e.message })),
      ...(auto?.action === 'error' ? [auto.condition] : []),
    ],
  };
}

/** A request the registry does not allow: said on the status, nothing started. */
async function refuse(deps: EngineDeps, binding: Binding, req: PlanRequest, message: string): Promise<void> {
  deps.log?.('warn', 'sync request refused', { app: req.app, requestId: req.requestId, reason: message });
  const conditions = [{ type: 'SyncError', message, lastTransitionTime: new Date(nowOf(deps)).toISOString() }];
  await observeStatus(deps.store, req.app, async () => ({ status: { conditions }, value: undefined }));
}

/**
 * Hands the sync to its cluster's writer (wake-writer.ts): the plan document first, then the pending
 * request. A repeat of a request already planned is requested again only while it has not run and is
 * still the app's newest (a plan step that died between the two writes), never after it ran.
 */
async function start(deps: EngineDeps, planned: Planned, req: PlanRequest, decision: Extract<StartDecision, { start: true }>, startedAt: number): Promise<PlanResult> {
  const syncId = executionName(req.app, req.revision, decision.dedupe);
  const settings = planSettings(planned.binding.app, decision.options, req.revision, startedAt);
  const fresh: PlanDocument = { ...planned.doc, syncId, settings, operation: decision.options };
  const doc = await writePlanOnce(deps.blobs, fresh);
  // A new request (not a repeat of one already planned) supersedes the pending syncs of other revisions.
  if (doc === fresh && !doc.operation.dryRun) await recordLatestRequest(deps.blobs, doc.app, { syncId, revision: doc.revision, requestedAt: doc.startedAt });
  if (doc !== fresh && !(await stillToRun(deps, doc))) {
    deps.log?.('info', 'sync already requested', { app: req.app, syncId });
    return { app: req.app, outcome: 'started', syncId };
  }
  const pending = { app: doc.app, syncId, planKey: planKey(doc.app, syncId), revision: doc.revision, requestedAt: new Date(nowOf(deps)).toISOString() };
  const writer = await requestSync(deps, planned.binding.cluster, pending);
  deps.log?.('info', 'sync requested', { app: req.app, syncId, seq: writer.seq });
  return { app: req.app, outcome: 'started', syncId, ...(writer.executionArn ? { executionArn: writer.executionArn } : {}) };
}

async function stillToRun(deps: EngineDeps, doc: PlanDocument): Promise<boolean> {
  if (await deps.store.getOperation(doc.app, doc.syncId)) return false;
  if (doc.operation.dryRun) return true;
  return (await readLatestRequest(deps.blobs, doc.app))?.syncId === doc.syncId;
}
