// A crash of the whole local runtime (issue 12, "Fault suite"; SECURITY.md §7 row 51): `gitwave
// start` in its own process group, a push whose sync is in the middle of a wave (the PreSync
// migration Job running), SIGKILL to the whole group, and a restart on the same $GITWAVE_HOME. The
// interrupted sync is resumed or recorded as cut short and synced again; no request is lost (both
// sample Applications end Synced at the pushed commit); the lock is taken over (a new writer
// syncs) and free at the end. Only the runtime's public face is read: local.json, the HTTP API,
// `gitwave demo push`, kubectl, and the execution records under $GITWAVE_HOME.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gitwave } from '../cli/helpers.ts';
import { groupAlive, startGitwave, stopGitwave, type Started } from '../e2e/helpers/process.ts';
import { waitFor, APPS } from '../e2e/helpers/runtime.ts';
import { git } from '../../local/sample-repo/create.ts';
import { LOCAL_WRITER_STATE_MACHINE_ARN } from '../../local/runtime.ts';
import type { ExecutionRecord } from '../../local/stubs/step-functions.ts';

const MIGRATE_JOB = 'api/orders/service/base/migrate-job.yaml';
const CONFIG = 'api/orders/service/base/config.yaml';

interface Info { api: string; kubeconfig: string; sampleRepo: string }

async function getJson(url: string): Promise<any> {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

describe('a crash of the whole local runtime in the middle of a wave', () => {
  const home = mkdtempSync(join(tmpdir(), 'gitwave-crash-'));
  const localJson = join(home, 'local.json');
  let running: Started | undefined;
  const info = (): Info => JSON.parse(readFileSync(localJson, 'utf8'));
  const syncedAt = async (api: string, app: string, revision: string) => {
    let seen: any;
    try {
      return await waitFor(`${app} Synced at ${revision.slice(0, 7)}`, async () => {
        const view = await getJson(`${api}/api/applications/${app}`);
        seen = view;
        return view.sync.status === 'Synced' && view.sync.revision === revision && view.operation?.phase === 'Succeeded' ? view : undefined;
      }, 300_000);
    } catch (error) {
      // What the Application and the runtime last said, so a failure under load can be read from CI's log.
      const said = JSON.stringify({ sync: seen?.sync, operation: seen?.operation, conditions: seen?.conditions });
      throw new Error(`${(error as Error).message}; last seen ${said}; runtime output: ${running?.stdout().slice(-3000)}\n${running?.stderr().slice(-2000)}`, { cause: error });
    }
  };
  const started = async (previousApi?: string) => {
    running = startGitwave(home);
    return waitFor('local.json of a running gitwave', async () => {
      if (running!.child.exitCode !== null) throw new Error(`gitwave start exited: ${running!.stderr()}`);
      if (!existsSync(localJson)) return undefined;
      const now = info();
      return now.api && now.api !== previousApi ? now : undefined;
    }, 120_000);
  };
  after(async () => {
    if (running && running.child.exitCode === null) await stopGitwave(running);
    rmSync(home, { recursive: true, force: true });
  });

  it('SIGKILL mid-wave, restart on the same home: no request lost, the cut sync recorded and synced again, the lock taken over and free', async () => {
    const first = await started();
    const initial = git(first.sampleRepo, 'rev-parse', 'HEAD');
    for (const app of APPS) await syncedAt(first.api, app, initial);

    // A migration that runs long enough to be caught running (the simulator's Job duration, in seconds).
    const jobPath = join(first.sampleRepo, MIGRATE_JOB);
    writeFileSync(jobPath, readFileSync(jobPath, 'utf8').replace('argocd.argoproj.io/hook: PreSync', 'argocd.argoproj.io/hook: PreSync\n    sim.gitwave.dev/duration: "5"'));
    // and a change of a plain resource (a hook alone leaves the Applications Synced: no sync would start).
    const configPath = join(first.sampleRepo, CONFIG);
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('LOG_LEVEL: info', 'LOG_LEVEL: debug'));
    const push = await gitwave(['demo', 'push', '-m', 'crash: a slower migration'], { env: { GITWAVE_HOME: home } });
    assert.equal(push.code, 0, push.stderr);
    const pushed = git(first.sampleRepo, 'rev-parse', 'HEAD');
    const kubectl = async (kubeconfig: string, ...args: string[]) => (await promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' })).stdout;
    await waitFor('orders-dev\'s migration Job of the push running (mid-wave)', async () => {
      const jobs = JSON.parse(await kubectl(first.kubeconfig, '-n', 'orders-dev', 'get', 'jobs', '-o', 'json')).items as any[];
      return jobs.some((j) => j.metadata.name.includes(pushed.slice(0, 7)) && !(j.status?.conditions ?? []).some((c: any) => c.type === 'Complete'));
    }, 120_000);

    const pid = running!.child.pid!;
    process.kill(-pid, 'SIGKILL');
    await running!.exited;
    await waitFor('every process of the killed runtime to end', async () => !groupAlive(pid), 30_000);
    const cut = (readRecords(home) ?? []).filter((x) => x.status === 'RUNNING');
    assert.ok(cut.some((x) => JSON.parse(x.input).app === 'orders-dev' && JSON.parse(x.input).revision === pushed), 'orders-dev\'s sync was running when the runtime died');

    const second = await started(first.api);
    for (const app of APPS) await syncedAt(second.api, app, pushed);
    // The janitor heard of the cut executions and reached the local Step Functions (it once called AWS's own endpoint).
    assert.doesNotMatch(running!.stderr(), /janitor: /);

    // The status says Synced once the record task ran; the execution ends (and is saved) a few states later.
    const lastCut = Math.max(...cut.map((x) => x.startDate));
    const startedAfterCut = (r: ExecutionRecord) => r.startDate > lastCut;
    const isOrdersPush = (r: ExecutionRecord) => JSON.parse(r.input).app === 'orders-dev' && JSON.parse(r.input).revision === pushed;
    const records = await waitFor('orders-dev\'s sync after the restart to end', async () => {
      const now = readRecords(home);
      const rerun = now?.filter((r) => startedAfterCut(r) && isOrdersPush(r));
      return rerun?.length && rerun.every((r) => r.status !== 'RUNNING') ? now : undefined;
    });
    for (const x of cut) {
      const now = records.find((r) => r.executionArn === x.executionArn);
      assert.deepEqual({ status: now?.status, cause: now?.cause }, { status: 'ABORTED', cause: 'local runtime restarted' }, `${x.name}: recorded as cut short`);
    }
    const orders = records.filter((r) => startedAfterCut(r) && isOrdersPush(r));
    assert.deepEqual(orders.map((r) => r.status), ['SUCCEEDED'], 'orders-dev\'s commit synced again, once, after the restart');
    const newFence = JSON.parse(orders[0].input).fence as number;
    const oldFences = cut.map((x) => JSON.parse(x.input).fence).filter((f) => f !== undefined) as number[];
    assert.ok(oldFences.every((f) => newFence > f), `a new writer took the lock over (fence ${newFence} after ${oldFences})`);

    for (const app of APPS) {
      const ops = await getJson(`${second.api}/api/applications/${app}/operations`) as Array<{ phase: string; revision: string; finishedAt: string | null }>;
      console.log(`${app} operations after the restart (newest first): ${ops.map((o) => `${o.revision.slice(0, 7)} ${o.phase}`).join(', ')}`);
      assert.ok(ops.every((o) => o.phase !== 'Running' && o.finishedAt), `${app}: no operation left Running: ${JSON.stringify(ops.map((o) => [o.revision.slice(0, 7), o.phase]))}`);
      assert.ok(ops.some((o) => o.revision === pushed && o.phase === 'Succeeded'), `${app}: the pushed commit's sync succeeded`);
      const history = await getJson(`${second.api}/api/applications/${app}/history`) as Array<{ revision: string }>;
      assert.ok([initial, pushed].every((rev) => history.some((h) => h.revision === rev)), `${app}: history holds the first deploy and the pushed commit`);
    }
    const delay = await kubectl(second.kubeconfig, '-n', 'orders-dev', 'get', 'deployment', 'orders-rest', '-o', 'name');
    assert.equal(delay.trim(), 'deployment.apps/orders-rest', 'the sample is live again on the restarted simulator');

    // The lock is free: one more push syncs both (its writer takes the lock and gives it back), and every writer ends.
    const again = await gitwave(['demo', 'push', '-m', 'crash: after the restart'], { env: { GITWAVE_HOME: home } });
    assert.equal(again.code, 0, again.stderr);
    const last = git(second.sampleRepo, 'rev-parse', 'HEAD');
    for (const app of APPS) await syncedAt(second.api, app, last);
    await waitFor('every writer to end', async () => {
      const writers = (JSON.parse(readFileSync(join(home, 'executions.json'), 'utf8')) as ExecutionRecord[]).filter((r) => r.stateMachineArn === LOCAL_WRITER_STATE_MACHINE_ARN);
      return writers.length > 0 && writers.every((w) => w.status !== 'RUNNING');
    });
    assert.equal(await stopGitwave(running!), 0);
  });
});

/** The local Step Functions' saved executions; undefined while the file is being rewritten. */
function readRecords(home: string): ExecutionRecord[] | undefined {
  try {
    return JSON.parse(readFileSync(join(home, 'executions.json'), 'utf8')) as ExecutionRecord[];
  } catch {
    return undefined;
  }
}
