// Chaos on the simulator (issue 12, "Fault suite"): twenty Applications sync on one cluster while the
// simulated API server fails 10% of requests (503, and 429 with Retry-After), adds 300 ms to every
// request and cuts 2% of connections (half before the request is handled, half after: the write
// happened, the answer is lost). The fault choices come from a fixed seed. Every sync converges or
// fails cleanly with its cause recorded; nothing is lost: the last good deploy stays, history and
// operation records are complete, the lock is free, and no object is applied under two writers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startE2E, waitFor, type E2E } from '../e2e/helpers/runtime.ts';
import { assertOneWriterAtATime, assertWritesFenced } from '../e2e/helpers/writers.ts';
import { applicationYaml, baseFiles, overlays, teamNames } from '../e2e/helpers/teams.ts';
import { configureRuntime } from '../../shared/lambda/runtime.ts';
import type { AppStatus } from '../../shared/store/index.ts';

const TEAMS = teamNames(20);
const SEED = Number(process.env.FAULTS_SEED ?? 20261205);
const CHAOS = { latencyMs: 300, errorRate: { '*': 0.1 }, status: [503, 429], retryAfterSeconds: 1, dropRate: 0.01, dropAfterRate: 0.01, seed: SEED };
/** What the status says while a cluster call is retried (shared/engine/retry-note.ts). */
const RETRY_NOTE = /; (retrying at \S+ \(attempt \d+ of \d+\)|the client gave up: the state machine runs this step again)/;
/** What a cleanly failed sync's message names: the cluster call that failed and how. */
const CLUSTER_CAUSE = /failed to \w+|unable to handle|too many requests|connection|timed out|gave up/i;

/** Resolves once every team recorded a finished operation at `sha`, nothing runs and the lock is free. */
async function allEnded(e2e: E2E, sha: string, onPoll?: (statuses: Array<AppStatus | undefined>) => void): Promise<Map<string, AppStatus>> {
  await waitFor(`${TEAMS.length} Applications to end a sync of ${sha.slice(0, 7)}`, async () => {
    const statuses = await Promise.all(TEAMS.map((app) => e2e.store.getStatus(app)));
    onPoll?.(statuses);
    const ended = statuses.every((s) => s?.operationState?.revision === sha && ['Succeeded', 'Failed', 'Error'].includes(s.operationState.phase));
    return ended && !(await e2e.lockHeld()) && e2e.rt.stepFunctions.executions().every((x) => x.status !== 'RUNNING');
  }, 300_000);
  return new Map(await Promise.all(TEAMS.map(async (app) => [app, (await e2e.store.getStatus(app))!] as const)));
}

describe('chaos on the simulator: 20 Applications on one cluster, the API server failing, slow and dropping connections', () => {
  let e2e: E2E;
  let clientRetries = 0;
  let stepRetries = 0;
  before(async () => {
    e2e = await startE2E();
    // The wave tasks log each retry they note on a status: the client's own, and the state machine's when the client gave up.
    configureRuntime({
      log: (_level, message, fields) => {
        if (message !== 'cluster request failed, retrying') return;
        if (fields?.gaveUp) stepRetries++;
        else clientRetries++;
      },
    });
    for (const app of ['orders-dev', 'orders-staging']) assert.equal((await e2e.api(`/api/applications/${app}`, { method: 'DELETE', body: {} })).status, 200);
    for (const app of TEAMS) {
      const res = await fetch(`${e2e.rt.info.api}/api/applications`, { method: 'POST', headers: { 'content-type': 'application/yaml' }, body: applicationYaml(app, e2e.rt.info.sampleRepoUrl, 2) });
      assert.equal(res.status, 201, `register ${app}: ${await res.text()}`);
    }
  });
  after(async () => {
    e2e?.rt.simulator?.setFaults({});
    configureRuntime({});
    await e2e?.stop();
  });

  it('every sync converges or fails cleanly with its cause; the last good deploy, history, operation records and the lock survive', async () => {
    const good = e2e.commit({ ...baseFiles('1'), ...overlays(TEAMS) }, 'teams: release 1');
    assert.equal((await e2e.push()).status, 202);
    for (const [app, status] of await allEnded(e2e, good)) assert.deepEqual(status.sync, { status: 'Synced', revision: good }, `${app} before the chaos`);

    const auditFrom = e2e.rt.simulator!.audit().length;
    const writesFrom = e2e.writes().length;
    e2e.rt.simulator!.setFaults(CHAOS);
    const started = Date.now();
    const sha = e2e.commit(baseFiles('2'), 'teams: release 2');
    assert.equal((await e2e.push()).status, 202);
    const notes = new Set<string>();
    const ended = await allEnded(e2e, sha, (statuses) => {
      for (const s of statuses) if (s?.operationState?.phase === 'Running' && RETRY_NOTE.test(s.operationState.message ?? '')) notes.add(s.operationState.message!);
    });
    const seconds = Math.round((Date.now() - started) / 1000);
    e2e.rt.simulator!.setFaults({});

    const audit = e2e.rt.simulator!.audit().slice(auditFrom);
    const phases = [...ended.values()].map((s) => s.operationState!.phase);
    const counts = {
      requests: audit.length, '503': audit.filter((a) => a.code === 503).length, '429': audit.filter((a) => a.code === 429).length,
      droppedBefore: audit.filter((a) => a.code === 0).length, answersLost: audit.filter((a) => a.answerLost).length,
      synced: phases.filter((p) => p === 'Succeeded').length, failed: phases.filter((p) => p !== 'Succeeded').length,
      clientRetries, stepRetries, retryNotesSeen: notes.size, seconds,
    };
    console.log(`chaos counts (seed ${SEED}): ${JSON.stringify(counts)}`);
    assert.ok(counts['503'] > 0 && counts['429'] > 0 && counts.droppedBefore + counts.answersLost > 0, 'the faults happened');
    assert.ok(clientRetries > 0, 'the client retried');
    assert.ok(notes.size > 0, 'while a request was retried, some Application\'s status said what failed and when it retries');
    for (const note of notes) assert.match(note, /^failed to [\w-]+ .+; (retrying at \d{4}-\d{2}-\d{2}T\S+Z \(attempt \d+ of \d+\)|the client gave up: the state machine runs this step again within .+)$/, note);

    for (const [app, status] of ended) {
      const op = status.operationState!;
      const history = (await e2e.store.listHistory(app)).map((h) => h.revision);
      const records = await e2e.store.listOperations(app);
      assert.ok(records.every((r) => r.phase !== 'Running' && r.finishedAt), `${app}: every operation record finished: ${JSON.stringify(records.map((r) => [r.revision, r.phase]))}`);
      assert.ok([good, sha].every((rev) => records.some((r) => r.revision === rev)), `${app}: an operation record for both releases`);
      assert.ok(history.includes(good), `${app}: the good deploy stays in history`);
      const webImage = await e2e.kubectl('-n', app, 'get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
      assert.equal(webImage, 'nginx:1.27', `${app}: the Deployment stays`);
      if (op.phase === 'Succeeded') {
        assert.deepEqual(status.sync, { status: 'Synced', revision: sha }, app);
        assert.equal(history.at(-1), sha, `${app}: history ends on release 2`);
        assert.equal(await e2e.kubectl('-n', app, 'get', 'configmap', 'settings', '-o', 'jsonpath={.data.RELEASE}'), '2', `${app}: release 2 is live`);
      } else {
        assert.match(op.message ?? '', CLUSTER_CAUSE, `${app}: the cause is recorded`);
        assert.equal(history.at(-1), good, `${app}: a failed sync adds no history; the last good deploy stays last`);
      }
    }
    assert.equal(await e2e.lockHeld(), false, 'the cluster lock is free');
    assertOneWriterAtATime(e2e, TEAMS);
    assertWritesFenced(e2e, TEAMS, writesFrom);
  });
});
