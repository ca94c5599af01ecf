/**
 * `npm run bench plan`: how long the planner and a tick take for one Application of growing size
 * (resources across waves, hooks, and tracked live objects half of which are prune candidates).
 * Prints figures; asserts nothing.
 */
import type { KubeObject } from '../shared/model/object.ts';
import { planSync } from '../shared/sync/plan.ts';
import { startOperation } from '../shared/sync/state.ts';
import { tick } from '../shared/sync/tick.ts';

const KINDS: Array<[string, string]> = [['v1', 'ConfigMap'], ['v1', 'Service'], ['apps/v1', 'Deployment'], ['v1', 'Secret'], ['example.com/v1', 'Widget']];

function desired(n: number): KubeObject[] {
  return Array.from({ length: n }, (_, i) => {
    const [apiVersion, kind] = KINDS[i % KINDS.length];
    const annotations: Record<string, string> = { 'argocd.argoproj.io/sync-wave': String(i % 5) };
    if (i % 50 === 0) annotations['argocd.argoproj.io/hook'] = 'PreSync';
    return { apiVersion, kind, metadata: { name: `obj-${i}`, annotations } };
  });
}

function live(n: number): KubeObject[] {
  return Array.from({ length: n }, (_, i) => {
    const [apiVersion, kind] = KINDS[i % KINDS.length];
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    const name = `obj-${i * 2}`;
    return { apiVersion, kind, metadata: { name, namespace: 'default', annotations: { 'argocd.argoproj.io/tracking-id': `app:${group}/${kind}:default/${name}` } } };
  });
}

function time(fn: () => void, rounds: number): number {
  fn();
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return (performance.now() - start) / rounds;
}

const settings = { appInstance: 'app', destinationNamespace: 'default', prune: true, revision: 'abcdef0123456789', startedAt: 1700000000 };
console.log('objects  plan (ms)  first tick (ms)  tasks');
for (const n of [50, 500, 2000]) {
  const input = { desired: desired(n), live: live(n), settings };
  const tasks = planSync(input).tasks.length;
  const planMs = time(() => planSync(input), n > 1000 ? 5 : 20);
  const tickInput = { ...input, live: input.live.map((object) => ({ object, health: null })), state: startOperation(settings.revision, settings.startedAt) };
  const tickMs = time(() => tick(tickInput), n > 1000 ? 5 : 20);
  console.log(`${String(n).padStart(7)}  ${planMs.toFixed(2).padStart(9)}  ${tickMs.toFixed(2).padStart(15)}  ${tasks}`);
}
