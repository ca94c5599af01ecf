/**
 * `npm run bench push-to-synced`: on the embedded local runtime, the time from GitHub's push webhook
 * to the sample Application reported Synced at the pushed commit (status and operation recorded),
 * over N pushes one after another (each a new commit bumping the REST API's pod template, like
 * `gitwave demo push`). Prints p50 and p95 for orders-dev (first in the queue) and orders-staging
 * (same cluster: it waits for the lock), with where the time goes, and the delays used: the
 * simulator's rollout delay and Job duration, and the scale applied to the state machine's Wait
 * states. Asserts nothing.
 *
 * Also the time from the webhook to the first write the cluster took for orders-dev (the simulator's
 * audit log), for `--json`: `webhook_to_first_apply.*` and `webhook_to_synced.*` (orders-dev).
 *
 * Settings (environment): BENCH_PUSHES (20; 2 with --quick), BENCH_WAIT_SCALE (1: the deployed
 * Wait states), BENCH_ROLLOUT_DELAY (1 s), BENCH_JOB_SECONDS (1 s, the simulator's default).
 */
import { startE2E, type E2E } from '../test/e2e/helpers/runtime.ts';
import { annotate, jobDuration, FILES } from '../test/e2e/helpers/sample.ts';
import { percentile, QUICK, report, round } from './report.ts';

const PUSHES = Number(process.env.BENCH_PUSHES ?? (QUICK ? 2 : 20));
const WAIT_SCALE = Number(process.env.BENCH_WAIT_SCALE ?? 1);
const ROLLOUT_DELAY = Number(process.env.BENCH_ROLLOUT_DELAY ?? 1);
const JOB_SECONDS = Number(process.env.BENCH_JOB_SECONDS ?? 1);
const APPS = ['orders-dev', 'orders-staging'];
const POLL_MS = 20;

interface Sample {
  total: number;
  /** Webhook sent → the cluster's first write in the app's namespace (ms). */
  firstApply: number;
  webhook: number;
  started: number;
  execution: number;
  /** States entered by the app's execution: Step Functions Standard bills each as a transition. */
  transitions: number;
}

/** Resolves with the time (performance.now) `app` was first seen Synced at `sha` with a Succeeded operation. */
async function syncedAt(e2e: E2E, app: string, sha: string): Promise<number> {
  for (;;) {
    const status = await e2e.store.getStatus(app);
    if (status?.sync?.revision === sha && status.sync.status === 'Synced' && status.operationState?.revision === sha && status.operationState.phase === 'Succeeded') return performance.now();
    if (status?.operationState?.revision === sha && ['Failed', 'Error'].includes(status.operationState.phase)) throw new Error(`${app}: ${status.operationState.message}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function onePush(e2e: E2E, i: number): Promise<Record<string, Sample>> {
  const sha = e2e.commit({ [FILES.rest]: annotate('Deployment', { 'demo.gitwave.dev/release': String(i) }) }, `release ${i}`);
  const sent = performance.now();
  const sentEpoch = Date.now();
  const answer = await e2e.push();
  const answered = performance.now();
  if (answer.status !== 202) throw new Error(`webhook answered ${answer.status}`);
  const done = await Promise.all(APPS.map((app) => syncedAt(e2e, app, sha)));
  const samples: Record<string, Sample> = {};
  APPS.forEach((app, k) => {
    // One execution per sync on the current engine; absent (NaN below) if an engine names them otherwise.
    const execution = e2e.rt.stepFunctions.executions().find((x) => JSON.parse(x.input).app === app && JSON.parse(x.input).revision === sha);
    const startDate = execution?.startDate ?? Number.NaN;
    samples[app] = {
      total: done[k] - sent,
      firstApply: firstWriteAfter(e2e, app, sentEpoch) - sentEpoch,
      webhook: answered - sent,
      started: startDate - sentEpoch,
      // From the execution's start to the status saying Synced (the lock release comes after).
      execution: sentEpoch + (done[k] - sent) - startDate,
      transitions: execution ? execution.events.filter((e) => e.type.endsWith('StateEntered')).length : Number.NaN,
    };
  });
  return samples;
}

/** Epoch ms of the first write to `namespace` (the app's destination) the simulator audited after `since`. */
function firstWriteAfter(e2e: E2E, namespace: string, since: number): number {
  const times = e2e.writes((e) => e.namespace === namespace).map((e) => Date.parse(e.time)).filter((t) => t >= since);
  return times.length ? Math.min(...times) : Number.NaN;
}

const e2e = await startE2E({ waitScale: WAIT_SCALE, rolloutDelaySeconds: ROLLOUT_DELAY });
try {
  const first = e2e.commit(jobDuration(JOB_SECONDS), 'bench: Job duration');
  await e2e.push();
  for (const app of APPS) await e2e.finished(app, first);
  const runs: Array<Record<string, Sample>> = [];
  for (let i = 1; i <= PUSHES; i++) runs.push(await onePush(e2e, i));

  console.log(`push → Synced on the local runtime, ${PUSHES} pushes one after another (sample: 2 Applications on one cluster)`);
  console.log(`settings: Wait states ×${WAIT_SCALE} (wave wait ${(5 * WAIT_SCALE).toFixed(2)} s, lock wait ${(30 * WAIT_SCALE).toFixed(1)} s), simulator rollout delay ${ROLLOUT_DELAY} s, Job duration ${JOB_SECONDS} s (migration + smoke), status polled every ${POLL_MS} ms`);
  console.log('app              p50 (s)  p95 (s)  max (s) | webhook p50 (ms)  to execution start p50 (ms)  start → Synced p50 (s)');
  for (const app of APPS) {
    const pick = (field: keyof Sample) => runs.map((r) => r[app][field]);
    const s = (ms: number) => (ms / 1000).toFixed(2).padStart(7);
    console.log(`${app.padEnd(15)} first apply p50 ${s(percentile(pick('firstApply'), 50))} s`);
    console.log(`${app.padEnd(15)} ${s(percentile(pick('total'), 50))}  ${s(percentile(pick('total'), 95))}  ${s(Math.max(...pick('total')))} | ${percentile(pick('webhook'), 50).toFixed(0).padStart(16)}  ${percentile(pick('started'), 50).toFixed(0).padStart(27)}  ${s(percentile(pick('execution'), 50))}`);
  }
  const dev = (field: keyof Sample) => runs.map((r) => r['orders-dev'][field] / 1000);
  report({
    'webhook_to_first_apply.p50_seconds': round(percentile(dev('firstApply'), 50)),
    'webhook_to_first_apply.p95_seconds': round(percentile(dev('firstApply'), 95)),
    'webhook_to_synced.app': 'orders-dev',
    'webhook_to_synced.pushes': PUSHES,
    'webhook_to_synced.wait_scale': WAIT_SCALE,
    'webhook_to_synced.p50_seconds': round(percentile(dev('total'), 50)),
    'webhook_to_synced.p95_seconds': round(percentile(dev('total'), 95)),
    'transitions.orders_dev_per_sync': percentile(runs.map((r) => r['orders-dev'].transitions), 50),
    'webhook_to_synced.both_apps_p50_seconds': round(percentile(runs.map((r) => Math.max(...APPS.map((a) => r[a].total)) / 1000), 50)),
  });
} finally {
  await e2e.stop();
}
