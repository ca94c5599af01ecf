// Transitions and Lambda GB-s of one push of the sample on the local runtime (deployed waits, rollouts and Jobs 1 s),
// counted from each execution's history: `node_modules/.bin/node --import tsx scripts/sync-cost.ts` (docs/engine.md).
import { startE2E, APPS } from '../test/e2e/helpers/runtime.ts';
import { jobDuration } from '../test/e2e/helpers/sample.ts';
import { FUNCTION_SETTINGS } from '../shared/lambda/functions.ts';
import { allStates } from '../infra/local-definition.ts';
import { cachedStateMachineDefinitions } from '../local/definition-cache.ts';
const e2e = await startE2E({ rolloutDelaySeconds: 1, waitScale: undefined });
try {
  const sha = e2e.commit(jobDuration(1), 'jobs 1 s');
  await e2e.push();
  for (const app of APPS) await e2e.finished(app, sha);
  const defs = cachedStateMachineDefinitions('/work/gw-engine');
  const fnOf: Record<string, string> = {};
  for (const d of [defs.sync, defs.writer]) for (const [name, st] of allStates(d)) if (st.Type === 'Task') fnOf[name] = String(st.Resource).split('gitwave-')[1] ?? 'child';
  for (const x of e2e.rt.stepFunctions.executions()) {
    const entered = x.events.filter((ev) => ev.type.endsWith('StateEntered')).length;
    let gbs = 0; const open: Record<string, number> = {};
    for (const ev of x.events) {
      if (ev.type === 'TaskStateEntered') open[ev.state!] = ev.timestamp;
      if (ev.type === 'TaskStateExited' && open[ev.state!] !== undefined) {
        const key = fnOf[ev.state!]; const mem = (FUNCTION_SETTINGS as any)[key]?.memoryMiB;
        if (mem) gbs += ((ev.timestamp - open[ev.state!]) / 1000) * (mem / 1024);
      }
    }
    console.log(JSON.stringify({ name: x.name, status: x.status, transitions: entered, seconds: ((x.stopDate ?? 0) - x.startDate) / 1000, lambdaGbSeconds: Number(gbs.toFixed(3)) }));
  }
} finally { await e2e.stop(); }
