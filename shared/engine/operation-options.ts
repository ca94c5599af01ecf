/**
 * What an operation will do, from who asked (SPEC-sync §6, §7.3): a person's request (manual sync,
 * rollback), or the automated policy's decision (auto-sync, selfHeal). Also the planner settings that
 * follow from it, and the desired objects with their tracking annotation (SPEC-sync §5.5).
 */
import type { Application } from '../model/application.ts';
import { appInstanceOf, isAutomated } from '../model/application.ts';
import type { Cluster } from '../model/cluster.ts';
import { isHook, isSkipped } from '../model/annotations.ts';
import { crdKinds, scopeOf } from '../model/kinds.ts';
import { groupOf, type KubeObject } from '../model/object.ts';
import { withTracking } from '../model/tracking.ts';
import type { PlanSettings } from '../sync/types.ts';
import { retryPolicyFor, type AutoSyncOperation, type RetryPolicy } from '../sync/auto-sync.ts';
import type { PlanRequest } from './contracts.ts';
import { BindingError } from './binding.ts';
import type { OperationOptions } from './plan-document.ts';
import type { OperationRequest } from './requests.ts';

const DELETION_APPROVED = 'argocd.argoproj.io/deletion-approved';
/** Clusters where one-off overrides are allowed (SECURITY.md §1, CVE-2023-50726). */
export const OVERRIDES_LABEL = { key: 'env', value: 'dev' } as const;

/** The options of a person's operation; refuses what the registry does not allow. */
export function requestedOptions(req: PlanRequest, request: OperationRequest, app: Application, cluster: Cluster): OperationOptions {
  if (request.overrides && cluster.labels[OVERRIDES_LABEL.key] !== OVERRIDES_LABEL.value) {
    throw new BindingError(`application ${app.metadata.name}: one-off overrides are allowed only on clusters labelled ${OVERRIDES_LABEL.key}=${OVERRIDES_LABEL.value}, not on ${cluster.name}`);
  }
  if (request.rollbackId !== undefined && isAutomated(app)) {
    throw new BindingError(`application ${app.metadata.name}: rollback is refused while automated sync is on`);
  }
  return {
    trigger: req.trigger, requestId: request.requestId, initiatedBy: request.initiatedBy,
    dryRun: request.dryRun ?? false,
    prune: request.prune ?? app.spec.syncPolicy.automated?.prune ?? false,
    strategy: request.rollbackId !== undefined ? 'apply' : request.strategy ?? 'hook',
    ...(request.resources?.length ? { resources: request.resources } : {}),
    ...(request.syncOptions ? { syncOptions: request.syncOptions } : {}),
    ...(request.overrides ? { overrides: request.overrides } : {}),
    ...(request.rollbackId !== undefined ? { rollbackId: request.rollbackId } : {}),
    ...withRetry(retryPolicyFor(false, specRetry(app))),
  };
}

/** `spec.syncPolicy.retry` in the terms of shared/sync (durations in seconds); undefined when unset. */
export function specRetry(app: Application): RetryPolicy | undefined {
  const retry = app.spec.syncPolicy.retry;
  if (!retry) return undefined;
  const { durationSeconds, factor, maxDurationSeconds } = retry.backoff;
  return { limit: retry.limit, refresh: retry.refresh, backoff: { duration: durationSeconds, factor, maxDuration: maxDurationSeconds } };
}

function withRetry(retry: RetryPolicy | undefined): { retry?: RetryPolicy } {
  return retry ? { retry } : {};
}

/** The options of an automated operation (auto-sync or selfHeal). */
export function automatedOptions(req: PlanRequest, op: AutoSyncOperation): OperationOptions {
  return {
    trigger: req.trigger, initiatedBy: op.initiatedBy, dryRun: false, prune: op.prune, strategy: 'hook',
    syncOptions: op.syncOptions, selfHealAttempts: op.selfHealAttempts, ...withRetry(op.retry),
    ...(op.resources?.length ? { resources: op.resources } : {}),
  };
}

/** The planner's settings for an operation. */
export function planSettings(app: Application, options: OperationOptions, revision: string, startedAt: number): PlanSettings {
  const managed = app.spec.syncPolicy.managedNamespaceMetadata;
  const approved = app.metadata.annotations[DELETION_APPROVED];
  return {
    appInstance: appInstanceOf(app),
    destinationNamespace: app.spec.destination.namespace ?? '',
    syncOptions: options.syncOptions ?? app.spec.syncPolicy.syncOptions,
    prune: options.prune,
    revision,
    startedAt,
    dryRun: options.dryRun,
    skipHooks: options.strategy === 'apply',
    ...(options.resources ? { resources: options.resources } : {}),
    ...(managed ? { managedNamespaceMetadata: managed } : {}),
    ...(approved ? { deletionApprovedAt: approved } : {}),
  };
}

/**
 * The rendered objects with the tracking annotation on every resource (hooks are named and tracked
 * by the planner; Skip objects are left alone).
 * @example trackDesired(objects, settings)[0].metadata.annotations['argocd.argoproj.io/tracking-id'] // 'web:apps/Deployment:web/api'
 */
export function trackDesired(objects: readonly KubeObject[], settings: PlanSettings): KubeObject[] {
  const crds = crdKinds(objects);
  return objects.map((obj) => {
    if (isHook(obj) || isSkipped(obj) || !obj.metadata.name) return obj;
    const group = groupOf(obj.apiVersion);
    const cluster = scopeOf(group, obj.kind, crds) === 'Cluster';
    const namespace = cluster ? '' : obj.metadata.namespace || settings.destinationNamespace;
    return withTracking(obj, settings.appInstance, { group, kind: obj.kind, namespace, name: obj.metadata.name }, settings.destinationNamespace);
  });
}
