/**
 * Wave adjustments of prune tasks (SPEC-sync §1.4, §1.5): prunes run in reverse creation order, and
 * `PruneLast` prunes run after every other Sync wave.
 */
import { isPruneLast } from './options.ts';
import type { SyncTask } from './types.ts';

/**
 * Swap prune waves symmetrically: with distinct prune waves w1 < … < wn, a prune in wi moves to
 * w(n+1−i), so the object created last is deleted first.
 */
export function reversePruneWaves(tasks: readonly SyncTask[]): void {
  const prunes = tasks.filter((t) => t.action === 'prune');
  const waves = [...new Set(prunes.map((t) => t.wave))].sort((a, b) => a - b);
  const mirror = new Map(waves.map((w, i) => [w, waves[waves.length - 1 - i]]));
  for (const task of prunes) task.wave = mirror.get(task.wave)!;
}

/**
 * Move `PruneLast` prunes (app option, or the live object's) to 1 + the last Sync wave (prunes
 * included, floor 0), so they run after all other Sync waves and before PostSync.
 */
export function applyPruneLast(tasks: readonly SyncTask[], app: ReadonlyMap<string, string>): void {
  const lastSyncWave = Math.max(0, ...tasks.filter((t) => t.phase === 'Sync').map((t) => t.wave));
  for (const task of tasks) {
    if (task.action === 'prune' && isPruneLast(task.live, app)) task.wave = lastSyncWave + 1;
  }
}
