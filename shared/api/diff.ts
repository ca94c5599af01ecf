/**
 * GET /api/applications/{name}/diff: what a sync would change now, per resource, against the last
 * desired state (the render the status points at). Predicted live is the server-side dry run of the
 * desired object (SPEC-sync §5.2); a prune shows the whole live object going. The cluster is only
 * read (dry runs persist nothing). Values come from shared/diff, which masks every Secret's
 * `data`/`stringData` and the last-applied annotation, so no Secret value can appear here.
 */
import { diffObjects, formatChanges, type Change } from '../diff/index.ts';
import { groupOf, keyString, type KubeObject } from '../model/object.ts';
import type { IgnoreDifference } from '../model/application.ts';
import { HttpError } from '../lambda/errors.ts';
import { planSync } from '../sync/plan.ts';
import type { SyncTask } from '../sync/types.ts';
import type { ClusterClient } from '../kube/index.ts';
import { discoverKinds, projectCheck } from '../engine/cluster-policy.ts';
import { COMPARISON } from '../engine/drift-sweep.ts';
import { distinctKinds, listManagedLive, mapLimit, KUBE_CONCURRENCY } from '../engine/live.ts';
import { planSettings, trackDesired } from '../engine/operation-options.ts';
import { readRenderDocument } from '../engine/render-store.ts';
import { bindingOf, requireApplication } from './applications.ts';
import type { ApiDeps } from './deps.ts';
import { withChildApplications } from '../engine/child-apps.ts';

export interface ResourceDiff {
  group: string;
  kind: string;
  namespace: string | null;
  name: string;
  /** `create`, `update` or `prune`. */
  action: 'create' | 'update' | 'prune';
  changes: Change[];
}

export interface AppDiff {
  name: string;
  /** The commit of the desired state compared. */
  revision: string;
  resources: ResourceDiff[];
  /** The same as text, for people (`gitwave app diff`). */
  text: string;
}

/** The diff of one Application, or a 409 when it has no desired state yet. */
export async function applicationDiff(deps: ApiDeps, name: string): Promise<AppDiff> {
  await requireApplication(deps, name);
  const binding = await bindingOf(deps, name);
  const status = await deps.store.getStatus(name);
  if (!status?.desiredKey) throw new HttpError(409, `application ${name} has not been rendered yet: nothing to compare`);
  const render = await readRenderDocument(deps.blobs, status.desiredKey);
  const settings = planSettings(binding.app, COMPARISON, render.revision, Math.floor((deps.now ?? Date.now)() / 1000));
  const desired = trackDesired(render.objects.map((o) => o.object), settings);
  const kube = withChildApplications(await deps.connect(binding.cluster, { purpose: 'read' }), deps, binding);
  const keys = new Set(planSync({ desired, settings, live: [] }).tasks.map((t) => keyString(t.key)));
  const before = (status.resources ?? []) as Array<{ group: string; kind: string }>;
  const kinds = distinctKinds([...desired.map((o) => ({ group: groupOf(o.apiVersion), kind: o.kind })), ...before]);
  const live = await listManagedLive(kube, kinds, settings.appInstance, keys);
  const facts = await discoverKinds(kube, [...desired, ...live]);
  const plan = planSync({ desired, live, settings, isServed: facts.isServed, checkProject: projectCheck(binding.project, binding.cluster, facts) });
  const tasks = plan.tasks.filter((t) => !t.hook && (t.action === 'apply' || t.action === 'prune'));
  const diffs = await mapLimit(tasks, KUBE_CONCURRENCY, (task) => taskDiff(kube, task, binding.app.spec.ignoreDifferences));
  const resources = diffs.filter((d): d is ResourceDiff => d !== undefined);
  return { name, revision: render.revision, resources, text: textOf(resources) };
}

async function taskDiff(kube: ClusterClient, task: SyncTask, ignoreDifferences: readonly IgnoreDifference[]): Promise<ResourceDiff | undefined> {
  const live = task.live ?? null;
  let predicted: KubeObject | null = null;
  if (task.action === 'apply' && task.target) predicted = live && !task.skipDryRun ? await dryRun(kube, task.target) : task.target;
  const result = diffObjects(predicted, live, { ignoreDifferences });
  if (!result.modified) return undefined;
  const { group, kind, namespace, name } = task.key;
  const action = task.action === 'prune' ? 'prune' : live ? 'update' : 'create';
  return { group, kind, namespace: namespace === '' ? null : namespace, name, action, changes: result.changes };
}

/** Predicted live; the desired object itself when the server refuses the dry run (the sync will say why). */
async function dryRun(kube: ClusterClient, target: KubeObject): Promise<KubeObject> {
  try {
    return (await kube.dryRunApply(target)).object;
  } catch {
    return target;
  }
}

function textOf(resources: readonly ResourceDiff[]): string {
  if (resources.length === 0) return 'no differences';
  return resources.map((r) => {
    const head = `=== ${r.action} ${r.group ? `${r.group}/` : ''}${r.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.name} ===`;
    return `${head}\n${formatChanges(r.changes)}`;
  }).join('\n\n');
}
