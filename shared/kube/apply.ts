/**
 * Server-side apply as gitwave does it (SPEC-sync.md, deliberate differences): field manager
 * `gitwave`, and Git wins conflicts. The apply is first sent without force; a 409 conflict is read
 * for the managers and fields it names, and the apply is sent again with `force=true`, so the result
 * reports exactly whose fields were taken over (a forced apply alone would not say). The dry run
 * (`dryRun=All`) follows the same path and returns the predicted live object for the diff.
 */
import type { KubeObject } from '../model/object.ts';
import { ClusterCalls, describeTarget, objectLabel, resourcePath } from './calls.ts';
import { describeConflicts, parseApplyConflicts } from './conflicts.ts';
import { asStatus, errorForResponse, isApplyConflict, KindNotServedError, TerminalClusterError } from './errors.ts';
import { deletionState, refOf, type ApplyOptions, type ApplyResult, type FieldConflict } from './port.ts';
import type { ResourceMapping } from './discovery.ts';
import type { KubeResponse } from './transport.ts';

/** What the client adds to every apply. */
export interface ApplyContext {
  defaultNamespace: string;
  fieldManager: string;
  /** `Strict` makes unknown or duplicate fields a 422 (caught by the plan-time dry run). */
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
}

interface ApplyTarget {
  mapping: ResourceMapping;
  path: string;
  body: KubeObject;
  what: string;
}

/** Applies (or dry-runs) one object; see the module comment for the conflict protocol. */
export async function serverSideApply(
  calls: ClusterCalls,
  obj: KubeObject,
  dryRun: boolean,
  options: ApplyOptions & ApplyContext,
): Promise<ApplyResult> {
  let target = await applyTarget(calls, obj, dryRun, options);
  let res = await send(calls, target, dryRun, false, options);
  if (ClusterCalls.isTypeNotFound(res)) {
    // Discovery was stale (the resource went away or moved): look again, then retry once.
    calls.mapper.invalidateGroup(target.mapping.group);
    target = await applyTarget(calls, obj, dryRun, options);
    res = await send(calls, target, dryRun, false, options);
    if (ClusterCalls.isTypeNotFound(res)) throw new KindNotServedError(obj.apiVersion, obj.kind, 'the server does not serve it');
  }
  let takenOver: FieldConflict[] = [];
  if (res.status === 409) {
    takenOver = parseApplyConflicts(asStatus(res.body));
    res = await send(calls, target, dryRun, true, options);
  }
  if (res.status >= 300) throw errorForResponse(target.what, res.status, res.body, res.headers['retry-after'], dryRun);
  if (target.mapping.kind === 'CustomResourceDefinition' && target.mapping.group === 'apiextensions.k8s.io' && !dryRun) {
    // Its kinds are about to appear (or change): the next lookup must ask discovery again.
    const group = (obj.spec as { group?: string } | undefined)?.group;
    if (group) calls.mapper.invalidateGroup(group);
  }
  return applyResult(res, target, dryRun, takenOver);
}

async function applyTarget(
  calls: ClusterCalls,
  obj: KubeObject,
  dryRun: boolean,
  options: ApplyOptions & { defaultNamespace: string },
): Promise<ApplyTarget> {
  const name = obj.metadata?.name;
  if (!name) throw new TerminalClusterError(`failed to ${dryRun ? 'dry-run' : 'apply'} ${obj.kind}: metadata.name is required for server-side apply`);
  const ref = refOf(obj);
  const mapping = await calls.resolve(ref, options.kindWaitMs);
  const namespace = mapping.namespaced ? (obj.metadata.namespace || options.defaultNamespace) : undefined;
  // A namespace on a cluster-scoped object is meaningless; drop it rather than send it.
  const metadata = { ...obj.metadata, namespace };
  if (!namespace) delete metadata.namespace;
  return {
    mapping,
    path: resourcePath(mapping, namespace, name),
    body: { ...obj, metadata },
    what: `${dryRun ? 'dry-run' : 'apply'} ${describeTarget(mapping, namespace, name)}`,
  };
}

async function send(calls: ClusterCalls, t: ApplyTarget, dryRun: boolean, force: boolean, ctx: ApplyContext): Promise<KubeResponse> {
  return calls.call(
    {
      method: 'PATCH',
      path: t.path,
      query: { fieldManager: ctx.fieldManager, fieldValidation: ctx.fieldValidation, force: String(force), dryRun: dryRun ? 'All' : undefined },
      // JSON is YAML: the apply-patch content type accepts it as is.
      contentType: 'application/apply-patch+yaml',
      body: t.body,
      what: t.what,
      dryRun,
    },
    // An apply conflict is read and forced; a 404 may be stale discovery (the caller looks). Any
    // other 409 (a stale write) is transient and retried like a 5xx.
    (res) => res.status === 404 || (!force && res.status === 409 && isApplyConflict(asStatus(res.body))),
  );
}

function applyResult(res: KubeResponse, t: ApplyTarget, dryRun: boolean, takenOver: FieldConflict[]): ApplyResult {
  const object = res.body as KubeObject;
  const { deleting, pendingFinalizers } = deletionState(object);
  let message = `${objectLabel(t.mapping, t.body.metadata.name!)} serverside-applied${dryRun ? ' (server dry run)' : ''}`;
  if (takenOver.length > 0) message += `; took over fields from ${describeConflicts(takenOver)}`;
  if (deleting) message += `; object is being deleted (finalizers: ${pendingFinalizers.join(', ') || 'none'})`;
  return { object, created: res.status === 201, dryRun, takenOver, deleting, pendingFinalizers, message };
}
