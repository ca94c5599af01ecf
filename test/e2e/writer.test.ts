// End to end on the local runtime: the cluster's one writer runs many Applications at once (issue 9,
// docs/engine.md "One writer per cluster"). Ten Applications, overlays of one shared base, sync at
// once under one writer's lease; the writer stopped mid-sync loses none of them (the janitor starts
// the next writer); one Application's failing hook leaves the other nine Synced.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, StopWaiting, waitFor, type E2E } from './helpers/runtime.ts';
import { assertOneWriterAtATime, assertWritesFenced, claimGate, executionsOf, gate, realHandler, stopExecution, writersThatHeld } from './helpers/writers.ts';
import { LOCAL_CLUSTER } from '../../local/register.ts';
import { applicationYaml, baseFiles, overlays, RESOURCES, teamNames } from './helpers/teams.ts';
import { stateStore } from '../../shared/lambda/runtime.ts';
import type { LambdaHandler } from '../../local/lambda-host.ts';
import type { AppStatus } from '../../shared/store/index.ts';

const TEAMS = teamNames(10);
const FAILING = 'team-03';
/** A PreSync hook that fails (the simulator's Job outcome), added to one team's overlay only. */
const FAILING_HOOK = [
  'apiVersion: batch/v1', 'kind: Job', 'metadata:', '  generateName: check-schema-',
  '  annotations: { argocd.argoproj.io/hook: PreSync, sim.gitwave.dev/duration: "0.1", sim.gitwave.dev/outcome: fail }',
  'spec:', '  backoffLimit: 0', '  template:', '    spec:', '      restartPolicy: Never',
  `      containers: [{ name: check, image: "ghcr.io/gitwave-demo/check-schema:1.0.0", ${RESOURCES} }]`, '',
].join('\n');

/** Fault switches the handler wrappers read. */
const faults = {
  /** Every app's first Sync-phase check waits until all `apps` have reached theirs: they are all in flight at once. */
  barrier: undefined as undefined | { apps: Set<string>; reached: Set<string>; release: ReturnType<typeof gate<void>> },
};

/** The writer's claims wait (when armed) until that many syncs are pending, so one round runs them all. */
const claims = claimGate();

const checkWave: LambdaHandler = async (event, context) => {
  const input = event as { app: string; phase: string };
  const barrier = faults.barrier;
  if (barrier && input.phase === 'Sync' && barrier.apps.has(input.app)) {
    barrier.reached.add(input.app);
    await barrier.release.promise;
  }
  return (await realHandler('check-wave'))(event, context);
};

/** Arms the barrier: every app's Sync phase is held at its first check until `release` opens. */
function armBarrier(apps: readonly string[]) {
  const barrier = { apps: new Set(apps), reached: new Set<string>(), release: gate() };
  faults.barrier = barrier;
  return barrier;
}

/** The teams' statuses; stops waiting when a render of `sha` was refused (waiting cannot help). */
async function refusedOrStatuses(e2e: E2E, sha: string) {
  const statuses = await Promise.all(TEAMS.map((app) => e2e.store.getStatus(app)));
  const refused = statuses.flatMap((s) => s?.conditions ?? []).find((c) => c.message.includes(` at ${sha}:`));
  if (refused) throw new StopWaiting(`${refused.type}: ${refused.message}`);
  return statuses;
}

/** Resolves once every app of the barrier is held at its check (a hang guard names what is missing). */
async function inFlight(e2e: E2E, sha: string, barrier: ReturnType<typeof armBarrier>): Promise<void> {
  await waitFor('every Application held in its Sync phase', async () => (await refusedOrStatuses(e2e, sha)) && barrier.reached.size === barrier.apps.size, 180_000)
    .catch((error: Error) => { throw new Error(`${error.message}: reached ${[...barrier.reached]}`); });
}

/** Resolves once every app recorded a finished operation at `sha`, nothing runs and the cluster is free. */
async function allEnded(e2e: E2E, sha: string) {
  await waitFor(`${TEAMS.length} Applications to end a sync of ${sha.slice(0, 7)}`, async () => {
    const statuses = await refusedOrStatuses(e2e, sha);
    const ended = statuses.every((s) => s?.operationState?.revision === sha && ['Succeeded', 'Failed'].includes(s.operationState.phase));
    return ended && !(await e2e.lockHeld()) && e2e.rt.stepFunctions.executions().every((x) => x.status !== 'RUNNING');
  }, 180_000);
  return new Map(await Promise.all(TEAMS.map(async (app) => [app, (await e2e.store.getStatus(app))!] as const)));
}

/** Every app of `ended` Succeeded and is Synced at `sha`. */
function assertSynced(ended: Map<string, AppStatus>, sha: string): void {
  for (const [app, status] of ended) {
    assert.equal(status.operationState?.phase, 'Succeeded', `${app}: ${status.operationState?.message}`);
    assert.deepEqual(status.sync, { status: 'Synced', revision: sha }, app);
  }
}

describe('one writer, many Applications, on the local runtime', () => {
  let e2e: E2E;
  before(async () => {
    // The claim waits for the renders of ten apps: longer than the lock λ's deployed 10 s on a loaded machine.
    e2e = await startE2E({ handlerOverrides: { lock: claims.handler, 'check-wave': checkWave }, functionTimeoutsMs: { lock: 120_000 } });
    // Only the ten teams on this cluster: the sample Applications would take Map slots of their own.
    for (const app of ['orders-dev', 'orders-staging']) assert.equal((await e2e.api(`/api/applications/${app}`, { method: 'DELETE', body: {} })).status, 200);
    for (const app of TEAMS) {
      const res = await fetch(`${e2e.rt.info.api}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: applicationYaml(app, e2e.rt.info.sampleRepoUrl) });
      assert.equal(res.status, 201, `register ${app}: ${await res.text()}`);
    }
  });
  after(async () => {
    faults.barrier?.release.open();
    await e2e?.stop();
  });

  it('ten Applications on one cluster sync at once, as children of the one writer that holds the lock', async () => {
    const sha = e2e.commit({ ...baseFiles('1'), ...overlays(TEAMS) }, 'teams: shared base and overlays');
    claims.arm(TEAMS.length);
    const barrier = armBarrier(TEAMS);
    try {
      assert.equal((await e2e.push()).status, 202);
      await inFlight(e2e, sha, barrier); // all ten are inside their Sync phase at the same moment
      const held = await e2e.store.read(LOCAL_CLUSTER);
      const running = TEAMS.map((app) => executionsOf(e2e, app, sha).filter((x) => x.status === 'RUNNING'));
      assert.deepEqual(running.map((x) => x.length), TEAMS.map(() => 1), 'one running child per Application');
      assert.deepEqual(new Set(running.map(([x]) => JSON.parse(x.input).owner)), new Set([held?.owner]), 'all under the lease of the writer holding the lock');
      assert.deepEqual(writersThatHeld(e2e).filter((w) => w.status === 'RUNNING').map((w) => w.executionArn), [held?.owner], 'exactly one writer runs');
      const statuses = await Promise.all(TEAMS.map((app) => e2e.store.getStatus(app)));
      assert.deepEqual(statuses.map((s) => s?.operationState?.phase), TEAMS.map(() => 'Running'), 'every Application shows its own Running operation');
    } finally {
      barrier.release.open();
      faults.barrier = undefined;
    }
    assertSynced(await allEnded(e2e, sha), sha);
    const children = TEAMS.map((app) => executionsOf(e2e, app, sha));
    assert.deepEqual(children.map((x) => x.map((c) => c.status)), TEAMS.map(() => ['SUCCEEDED']));
    const starts = children.map(([c]) => c.startDate);
    const stops = children.map(([c]) => c.stopDate!);
    assert.ok(Math.max(...starts) < Math.min(...stops), 'the ten syncs overlapped in time');
    // A writer started by a later request may hold the cluster after this one released it (and find nothing left): never at once.
    assert.equal(new Set(children.map(([c]) => JSON.parse(c.input).owner)).size, 1, 'one writer ran them all');
    assertOneWriterAtATime(e2e, TEAMS);
    assert.equal(assertWritesFenced(e2e, TEAMS).length, 1, 'every write made under the one writer\'s lease');
  });

  it('a writer stopped mid-sync loses no request: the janitor starts the next writer and every Application ends Synced', async () => {
    const sha = e2e.commit(baseFiles('2'), 'teams: release 2');
    const auditFrom = e2e.writes().length;
    claims.arm(TEAMS.length);
    const barrier = armBarrier(TEAMS);
    let crashed: { owner: string; fence: number } | undefined;
    try {
      assert.equal((await e2e.push()).status, 202);
      await inFlight(e2e, sha, barrier);
      const held = (await e2e.store.read(LOCAL_CLUSTER))!;
      crashed = { owner: held.owner!, fence: held.fence };
      assert.equal(await stateStore().pendingCount(LOCAL_CLUSTER), TEAMS.length, 'every request is still pending while its sync runs');
      await stopExecution(e2e, crashed.owner);
      await waitFor('a new writer to take the cluster', async () => {
        const lock = await e2e.store.read(LOCAL_CLUSTER);
        return lock?.held && lock.owner !== crashed!.owner;
      });
    } finally {
      barrier.release.open();
      faults.barrier = undefined;
    }
    const ended = await allEnded(e2e, sha);
    assertSynced(ended, sha);
    for (const app of ended.keys()) {
      const release = await e2e.kubectl('-n', app, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.RELEASE}');
      assert.equal(release, '2', `${app}: the release is live`);
    }
    const dead: { owner: string; fence: number } = crashed!;
    const writers = writersThatHeld(e2e);
    assert.equal(writers.find((w) => w.executionArn === dead.owner)?.status, 'ABORTED');
    const next = writers.filter((w) => w.startDate > writers.find((x) => x.executionArn === dead.owner)!.startDate);
    assert.ok(next.some((w) => w.name.endsWith('-janitor')), `the janitor started the next writer: ${next.map((w) => w.name)}`);
    assert.ok((await e2e.store.read(LOCAL_CLUSTER))!.fence > dead.fence, 'the next writer has a new fence');
    for (const app of TEAMS) {
      const children = executionsOf(e2e, app, sha).map((c) => ({ status: c.status, fence: JSON.parse(c.input).fence as number }));
      assert.deepEqual(children.filter((c) => c.status === 'SUCCEEDED').map((c) => c.fence > dead.fence), [true], `${app}: one child succeeded, under the next writer: ${JSON.stringify(children)}`);
    }
    assert.equal(await stateStore().pendingCount(LOCAL_CLUSTER), 0, 'the queue is empty');
    assertOneWriterAtATime(e2e, TEAMS);
    const fences = assertWritesFenced(e2e, TEAMS, auditFrom);
    assert.deepEqual(fences.at(-1), (await e2e.store.read(LOCAL_CLUSTER))!.fence, `the release was applied under the next writer's lease (fences ${fences})`);
    assert.ok(fences.every((f) => f >= dead.fence), `no write under an older lease: ${fences}`);
  });

  it('one Application\'s failing hook leaves the other nine Synced, and records its own failure', async () => {
    const before = (await e2e.store.listHistory(FAILING)).map((h) => h.revision);
    const sha = e2e.commit({
      ...baseFiles('3'),
      [`teams/overlays/${FAILING}/kustomization.yaml`]: 'resources: [../../base, check-schema.yaml]\n',
      [`teams/overlays/${FAILING}/check-schema.yaml`]: FAILING_HOOK,
    }, `teams: release 3, ${FAILING} checks its schema`);
    assert.equal((await e2e.push()).status, 202);
    const ended = await allEnded(e2e, sha);
    assertSynced(new Map([...ended].filter(([app]) => app !== FAILING)), sha);
    for (const app of TEAMS.filter((a) => a !== FAILING)) {
      assert.equal((await e2e.store.listHistory(app)).at(-1)?.revision, sha, `${app}: history ends on the new commit`);
    }
    const failed = ended.get(FAILING)!;
    assert.equal(failed.operationState?.phase, 'Failed');
    assert.match(failed.operationState?.message ?? '', /check-schema-/, 'the message names the failed hook');
    assert.match(failed.operationState?.message ?? '', /retried 1 times/, 'its own retry policy ran');
    assert.deepEqual(failed.sync, { status: 'OutOfSync', revision: sha }, 'it compares against the failed commit');
    const release = await e2e.kubectl('-n', FAILING, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.RELEASE}');
    assert.equal(release, '2', 'nothing of the failed sync phase was applied');
    // As in Argo CD, history lists deployments: the failed sync adds none, the last good one stays.
    assert.deepEqual((await e2e.store.listHistory(FAILING)).map((h) => h.revision), before);
    assertWritesFenced(e2e, TEAMS);
    const [latest] = await e2e.store.listOperations(FAILING);
    assert.deepEqual({ revision: latest?.revision, phase: latest?.phase }, { revision: sha, phase: 'Failed' }, 'its operation record says Failed');
    assertOneWriterAtATime(e2e, TEAMS);
  });
});
