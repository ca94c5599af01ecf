// App of apps against DynamoDB Local, fauxqs's S3 and the simulator: a parent whose render holds Application
// documents registers them as children instead of writing them to the cluster; a child removed from
// Git is unregistered when the parent prunes; a child naming a project its parent's project does not
// allow is refused, saying why, and nothing is registered; an admin's AppProject is only ever listed;
// and with the opt-in health check, a wave of children waits until the previous one is Synced+Healthy.
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseApplication } from '../../shared/model/application.ts';
import { parseAppProject } from '../../shared/model/appproject.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { runPlan } from '../../shared/engine/plan-task.ts';
import { registerApplication } from '../../shared/api/register.ts';
import { HttpError } from '../../shared/lambda/errors.ts';
import { acquireLock, releaseLock } from '../../shared/engine/lock-task.ts';
import { runRecordTask } from '../../shared/engine/record-task.ts';
import { runWaveTask } from '../../shared/engine/wave-task.ts';
import { SYNC_PHASES, type SyncExecutionInput } from '../../shared/engine/contracts.ts';
import type { EngineDeps } from '../../shared/engine/deps.ts';
import { driveSync, phaseLoop, type Step } from './driver.ts';
import { CLUSTER, engineDeps, recordingExecutions, useServers, writeRender, type Servers } from './harness.ts';

const servers = useServers();
const REPO = 'https://github.com/acme/manifests.git';

function project(name: string, extra = ''): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: AppProject
metadata: { name: ${name}, namespace: argocd${extra ? `, annotations: { ${extra} }` : ''} }
spec:
  sourceRepos: ['${REPO}']
  destinations: [{ name: ${CLUSTER}, namespace: 'team-*' }, { name: ${CLUSTER}, namespace: argocd }]
  clusterResourceWhitelist: [{ group: '', kind: Namespace }]
`;
}

async function registerParent(s: Servers, name: string, annotations = ''): Promise<void> {
  await s.store.putApplication(parseApplication(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: ${name}, namespace: argocd${annotations ? `, annotations: { ${annotations} }` : ''} }
spec:
  project: team-a
  source: { repoURL: '${REPO}', targetRevision: main, path: apps }
  destination: { name: ${CLUSTER}, namespace: argocd }
  syncPolicy: { automated: { prune: true } }
`, `${name}.yaml`), { sourceYaml: '' });
}

function child(name: string, options: { project?: string; wave?: number; namespace?: string; path?: string } = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1', kind: 'Application',
    metadata: { name, namespace: 'argocd', ...(options.wave !== undefined ? { annotations: { 'argocd.argoproj.io/sync-wave': String(options.wave) } } : {}) },
    spec: {
      project: options.project ?? 'team-a',
      source: { repoURL: REPO, targetRevision: 'main', path: options.path ?? `svc/${name}` },
      destination: { name: CLUSTER, namespace: options.namespace ?? `team-${name}` },
      syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] },
    },
  } as KubeObject;
}

function configMap(name: string, namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { from: name } } as KubeObject;
}

const rev = (n: number) => `${n}`.repeat(40).slice(0, 40).replace(/[^0-9a-f]/g, 'a');

/** Plans `app` at a render of `objects` and drives the sync it starts; the drive's result. */
async function deploy(deps: EngineDeps, s: Servers, app: string, revision: string, objects: KubeObject[]) {
  const executions = recordingExecutions();
  const withExecutions = { ...deps, executions };
  const renderKey = await writeRender(s, revision, objects);
  const planned = await runPlan(withExecutions, { app, revision, renderKey, trigger: 'webhook' });
  assert.equal(planned.outcome, 'started', `${app} at ${revision} starts a sync`);
  return driveSync(withExecutions, executions.started[0].input, `writer-${app}-${revision.slice(0, 6)}`);
}

describe('app of apps: children are registered, pruned and checked', () => {
  it('registers both children of a parent instead of applying them, with the parent as their owner', async () => {
    const s = servers();
    await s.store.putProject(parseAppProject(project('team-a'), 'team-a.yaml'));
    await s.store.putProject(parseAppProject(project('admin'), 'admin.yaml'));
    await registerParent(s, 'root');
    const drive = await deploy(engineDeps(s), s, 'root', rev(1), [child('api'), child('web')]);

    assert.equal(drive.error, undefined, JSON.stringify(drive.steps.at(-1)));
    for (const name of ['api', 'web']) {
      const stored = await s.store.getApplication(name);
      assert.equal(stored?.parent, 'root', `${name} is registered as a child of root`);
      assert.equal(stored?.app.spec.destination.namespace, `team-${name}`);
    }
    const written = s.sim.audit().filter((e) => e.group === 'argoproj.io');
    assert.deepEqual(written, [], 'nothing of argoproj.io reached the cluster');
    const status = await s.store.getStatus('root');
    assert.deepEqual(status?.sync, { status: 'Synced', revision: rev(1) });
    assert.equal(status?.operationState?.phase, 'Succeeded');
  });

  it('unregisters a child removed from Git when the parent prunes, and keeps the other', async () => {
    const s = servers();
    const drive = await deploy(engineDeps(s), s, 'root', rev(2), [child('api')]);

    assert.equal(drive.error, undefined, JSON.stringify(drive.steps.at(-1)));
    assert.equal(await s.store.getApplication('web'), undefined, 'web is pruned: unregistered');
    assert.equal((await s.store.getApplication('api'))?.parent, 'root');
    const pruned = (await s.store.getStatus('root'))?.operationState;
    assert.equal(pruned?.phase, 'Succeeded');
  });

  it('updates a child whose document changed in Git, and leaves an unchanged one as it was', async () => {
    const s = servers();
    const before = (await s.store.getApplication('api'))!.updatedAt;
    const renderKey = await writeRender(s, rev(10), [child('api')]);
    const same = await runPlan({ ...engineDeps(s), executions: recordingExecutions() }, { app: 'root', revision: rev(10), renderKey, trigger: 'webhook' });
    assert.equal(same.outcome, 'inSync', 'the registered child equals the one in Git: nothing to sync');
    assert.equal((await s.store.getStatus('root'))?.sync?.status, 'Synced');
    assert.equal((await s.store.getApplication('api'))!.updatedAt, before, 'an unchanged child is not written again');

    const moved = await deploy(engineDeps(s), s, 'root', rev(12), [child('api', { path: 'svc/api-v2' })]);
    assert.equal(moved.error, undefined, JSON.stringify(moved.steps.at(-1)));
    const stored = await s.store.getApplication('api');
    assert.equal(stored?.app.spec.source.path, 'svc/api-v2');
    assert.equal(stored?.parent, 'root');
    const results = JSON.stringify((await s.store.listOperations('root')).find((op) => op.revision === rev(12))?.result);
    assert.match(results, /application\.argoproj\.io\/api updated in the registry \(child of root\)/);
  });

  it('refuses a child naming a project its parent\'s project does not allow, says why, and registers nothing', async () => {
    const s = servers();
    const executions = recordingExecutions();
    const deps = { ...engineDeps(s), executions };
    const renderKey = await writeRender(s, rev(3), [child('api'), child('ops', { project: 'admin' })]);
    await runPlan(deps, { app: 'root', revision: rev(3), renderKey, trigger: 'webhook' });

    const drive = await driveSync(deps, executions.started[0].input, 'writer-refused');
    assert.ok(drive.error, 'the sync fails');
    assert.equal(await s.store.getApplication('ops'), undefined, 'ops is not registered');
    const message = (await s.store.getStatus('root'))?.operationState?.message ?? '';
    assert.match(message, /child Application ops refused: spec\.project: project "admin" is not allowed for children of Application root: its project "team-a" allows "team-a"/);
  });

  it('registers that child once the parent\'s AppProject lists its project (an admin\'s change)', async () => {
    const s = servers();
    await s.store.putProject(parseAppProject(project('team-a', `gitwave.dev/child-projects: admin`), 'team-a.yaml'));
    const drive = await deploy(engineDeps(s), s, 'root', rev(4), [child('api'), child('ops', { project: 'admin' })]);
    assert.equal(drive.error, undefined, JSON.stringify(drive.steps.at(-1)));
    assert.equal((await s.store.getApplication('ops'))?.app.spec.project, 'admin');
  });

  it('refuses to let a person re-register a child through the API (409, naming its parent); an admin may take it over', async () => {
    const s = servers();
    const sent: unknown[] = [];
    const deps = { store: s.store, blobs: s.blobs, requests: s.requests, queue: { send: async (r: readonly unknown[]) => { sent.push(...r); } }, connect: async () => s.kube };
    const text = JSON.stringify(child('api'));
    const refused = await registerApplication(deps, text, { username: 'dev', admin: false, readOnly: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(refused instanceof HttpError);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.message, /application api is a child of application root \(app of apps\): change it in the parent's manifests/);
    assert.equal((await s.store.getApplication('api'))?.parent, 'root');
    assert.equal(sent.length, 0);
  });

  it('refuses a child whose destination its parent\'s project does not permit, and one taking over an admin\'s Application', async () => {
    const s = servers();
    // The admin project may deploy anywhere; its children of root may still reach only what team-a permits.
    await s.store.putProject(parseAppProject(project('admin').replace("namespace: 'team-*'", "namespace: '*'"), 'admin.yaml'));
    await s.store.putApplication(parseApplication(`apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: { name: billing, namespace: argocd }
spec:
  project: team-a
  source: { repoURL: '${REPO}', path: billing }
  destination: { name: ${CLUSTER}, namespace: team-billing }
`, 'billing.yaml'));
    const drive = await deploy(engineDeps(s), s, 'root', rev(5), [child('api'), child('ops', { project: 'admin' }), child('wide', { project: 'admin', namespace: 'kube-system' }), child('billing')]);
    assert.ok(drive.error);
    const message = (await s.store.getStatus('root'))?.operationState?.message ?? '';
    assert.match(message, /wide/);
    // Operations started in the same second tie on startedAt: pick this deploy's by its revision.
    const results = JSON.stringify((await s.store.listOperations('root')).find((op) => op.revision === rev(5))?.result);
    assert.match(results, /child Application wide refused: spec\.destination: destination name sim, namespace kube-system is not permitted in project \\"team-a\\" \(the parent's project; a child cannot reach further than its parent\)/);
    assert.match(results, /child Application billing refused: Application billing is already registered by an admin, not by Application root/);
    assert.equal(await s.store.getApplication('wide'), undefined);
    assert.equal((await s.store.getApplication('billing'))?.parent, undefined, 'the admin\'s Application is left as it was');
  });

  it('accepts an AppProject document only when an admin registered the same one, and never changes it', async () => {
    const s = servers();
    const same = { ...(parseAppProject(project('team-a', `gitwave.dev/child-projects: admin`), 'p.yaml') as unknown as KubeObject) };
    const drive = await deploy(engineDeps(s), s, 'root', rev(6), [same, child('api')]);
    assert.equal(drive.error, undefined, JSON.stringify(drive.steps.at(-1)));

    const wider = { ...same, metadata: { name: 'team-a', namespace: 'argocd' }, spec: { ...(same.spec as object), sourceRepos: ['*'] } } as KubeObject;
    const refused = await deploy(engineDeps(s), s, 'root', rev(7), [wider, child('api')]);
    assert.ok(refused.error);
    assert.match((await s.store.getStatus('root'))?.operationState?.message ?? '', /AppProject team-a refused: registering or changing an AppProject is admin-only/);
    assert.deepEqual((await s.store.getProject('team-a'))?.spec.sourceRepos, [REPO]);
  });
});

describe('app of apps: the opt-in health check makes waves of children wait', () => {
  /** Plans a child's own sync (at a revision of its own): queued on the cluster (the parent's), not started. */
  async function planChild(deps: EngineDeps, s: Servers, name: string): Promise<SyncExecutionInput> {
    const executions = recordingExecutions();
    const revision = createHash('sha1').update(name).digest('hex');
    const renderKey = await writeRender(s, revision, [configMap(`${name}-config`, `team-${name}`)]);
    const planned = await runPlan({ ...deps, executions }, { app: name, revision, renderKey, trigger: 'drift' });
    assert.equal(planned.outcome, 'started');
    return executions.started[0].input;
  }

  /** Runs a planned child's sync inside the parent's writer (same owner and fence), as the writer's Map would. */
  async function runChild(deps: EngineDeps, input: SyncExecutionInput, lock: { owner: string; fence: number }): Promise<void> {
    const base = { app: input.app, cluster: CLUSTER, syncId: input.syncId, planKey: input.planKey, owner: lock.owner, fence: lock.fence };
    for (const phase of SYNC_PHASES) assert.equal(await phaseLoop(deps, base, phase, []), 'done');
    await runRecordTask(deps, { ...base, outcome: 'Succeeded' });
  }

  async function syncChild(deps: EngineDeps, s: Servers, name: string, lock: { owner: string; fence: number }): Promise<void> {
    await runChild(deps, await planChild(deps, s, name), lock);
  }

  /**
   * Registers the parent `<tag>` (children `<tag>-first` in wave 0 and `<tag>-second` in wave 1) and
   * runs its sync up to the wave-0 child's wait; the sync's ids under the writer's lock.
   */
  async function parentWaitingOnWaveZero(s: Servers, deps: EngineDeps & { executions: ReturnType<typeof recordingExecutions> }, tag: string) {
    await s.store.putProject(parseAppProject(project('team-a'), 'team-a.yaml'));
    await registerParent(s, tag, 'gitwave.dev/wait-for-children: "true"');
    const renderKey = await writeRender(s, rev(8), [child(`${tag}-first`, { wave: 0 }), child(`${tag}-second`, { wave: 1 })]);
    assert.equal((await runPlan(deps, { app: tag, revision: rev(8), renderKey, trigger: 'webhook' })).outcome, 'started');
    const input = deps.executions.started[0].input;
    const owner = `writer-${tag}`;
    const lock = await acquireLock(deps, { action: 'acquire', cluster: CLUSTER, syncId: input.syncId, owner, attempt: 1 });
    assert.ok(lock.acquired, 'the writer holds the cluster');
    const base = { app: tag, cluster: CLUSTER, syncId: input.syncId, planKey: input.planKey, owner, fence: lock.fence! };
    assert.equal(await phaseLoop(deps, base, 'PreSync', []), 'done');
    let result = await runWaveTask(deps, { ...base, phase: 'Sync' }, 'apply');
    for (let i = 0; i < 5 && result.status !== 'progressing'; i++) result = await runWaveTask(deps, { ...base, phase: 'Sync' }, result.status === 'waveDone' ? 'apply' : 'check');
    assert.equal(result.status, 'progressing', 'wave 0 waits for its child');
    return { base, lock: { owner, fence: lock.fence! } };
  }

  it('gives its place in the writer\'s round back to a child queued behind it on its cluster, and resumes after it', async () => {
    const s = servers();
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    const { base, lock } = await parentWaitingOnWaveZero(s, deps, 'yields');
    const first = await planChild(deps, s, 'yields-first');
    assert.equal((await s.store.getPending(CLUSTER, 'yields-first'))?.syncId, first.syncId, 'the child is queued on the parent\'s cluster');

    const yielded = await runWaveTask(deps, { ...base, phase: 'Sync' }, 'check');
    assert.equal(yielded.status, 'yield', JSON.stringify(yielded));
    assert.equal(yielded.message, 'waiting for child Application yields-first, queued on this cluster: its writer runs them in its next round, and this sync resumes beside them');
    const parked = await s.store.getPending(CLUSTER, 'yields');
    assert.deepEqual([parked?.syncId, parked?.resumes, parked?.parked], [base.syncId, 1, true], 'the parent stays queued, parked, as its run 1');
    const status = await s.store.getStatus('yields');
    assert.equal(status?.operationState?.phase, 'Running');
    assert.match(status?.operationState?.message ?? '', /queued on this cluster/);
    assert.match(((await s.store.getOperation('yields', base.syncId))?.result as { execution?: string } | undefined)?.execution ?? '', /-w\d+r1$/, 'the record names the run that resumes it');
    assert.equal(await s.store.getApplication('yields-second'), undefined, 'wave 1 waits');

    // A push meanwhile: auto-sync waits for the parked operation, which keeps its place in the queue.
    const newer = createHash('sha1').update('yields: a newer commit').digest('hex');
    const renderKey = await writeRender(s, newer, [child('yields-first', { wave: 0 }), child('yields-second', { wave: 1 }), child('yields-third', { wave: 1 })]);
    assert.equal((await runPlan(deps, { app: 'yields', revision: newer, renderKey, trigger: 'webhook' })).outcome, 'planned', 'no sync started');
    assert.equal((await s.store.getPending(CLUSTER, 'yields'))?.syncId, base.syncId, 'the parked sync is still the one queued');

    // The writer's next round: the child runs beside the resumed parent, which goes on from its record.
    await runChild(deps, first, lock);
    assert.equal(await phaseLoop(deps, base, 'Sync', []), 'done');
    assert.equal((await s.store.getApplication('yields-second'))?.parent, 'yields', 'wave 1 registered once first is Synced and Healthy');
    assert.equal(await phaseLoop(deps, base, 'PostSync', []), 'done');
    assert.equal((await runRecordTask(deps, { ...base, outcome: 'Succeeded' })).recorded, true);
    assert.equal((await s.store.getStatus('yields'))?.operationState?.phase, 'Succeeded');
    await releaseLock(deps, { action: 'release', cluster: CLUSTER, ...lock });
  });

  it('waits where it is for a child whose sync is running now, and for one not requested yet', async () => {
    const s = servers();
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    const { base, lock } = await parentWaitingOnWaveZero(s, deps, 'stays');
    assert.equal((await runWaveTask(deps, { ...base, phase: 'Sync' }, 'check')).status, 'progressing', 'no sync of the child is queued');
    const first = await planChild(deps, s, 'stays-first');
    const running = { app: 'stays-first', cluster: CLUSTER, syncId: first.syncId, planKey: first.planKey, owner: base.owner, fence: base.fence };
    assert.notEqual((await runWaveTask(deps, { ...running, phase: 'PreSync' }, 'apply')).status, 'failed', 'the child\'s sync has started');
    assert.equal((await runWaveTask(deps, { ...base, phase: 'Sync' }, 'check')).status, 'progressing', 'the child is being synced in this round');
    assert.equal((await s.store.getPending(CLUSTER, 'stays'))?.parked, undefined);
    await releaseLock(deps, { action: 'release', cluster: CLUSTER, ...lock });
  });

  it('registers wave 1 only after the wave-0 child is Synced and Healthy', async () => {
    const s = servers();
    const deps = { ...engineDeps(s), executions: recordingExecutions() };
    const { base, lock } = await parentWaitingOnWaveZero(s, deps, 'waves');
    const steps: Step[] = [];
    assert.equal((await s.store.getApplication('waves-first'))?.parent, 'waves');
    assert.equal(await s.store.getApplication('waves-second'), undefined, 'wave 1 is not registered while wave 0 is not healthy');
    const result = await runWaveTask(deps, { ...base, phase: 'Sync' }, 'check');
    assert.equal(result.status, 'progressing', 'still waiting: the child has not synced');
    assert.equal((await s.store.getStatus('waves'))?.operationState?.message, 'waiting for healthy state of argoproj.io/Application/waves-first');

    await syncChild(deps, s, 'waves-first', lock);
    assert.deepEqual((await s.store.getStatus('waves-first'))?.sync?.status, 'Synced');
    assert.equal(await phaseLoop(deps, base, 'Sync', steps), 'done', 'wave 1 is the last: it does not wait for health');
    assert.equal((await s.store.getApplication('waves-second'))?.parent, 'waves', 'wave 1 registered once first is Synced and Healthy');
    assert.equal(await phaseLoop(deps, base, 'PostSync', steps), 'done');
    assert.equal((await runRecordTask(deps, { ...base, outcome: 'Succeeded' })).recorded, true);
    await releaseLock(deps, { action: 'release', cluster: CLUSTER, ...lock });
  });
});
