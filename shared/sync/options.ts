/**
 * Sync options (SPEC-sync §3): where each is read (app, target, live) and what a task ends up with.
 * A resource's own setting overrides the app's.
 */
import { parseOptions, syncOptionsOf } from '../model/annotations.ts';
import type { KubeObject } from '../model/object.ts';
import type { PlanSettings, PropagationPolicy, TaskOptions } from './types.ts';

/** The app-level options of the operation. */
export function appOptions(settings: PlanSettings): Map<string, string> {
  return parseOptions(settings.syncOptions ?? []);
}

/** The value of an option: from the first object that sets it, else from the app. */
function optionValue(name: string, objects: ReadonlyArray<KubeObject | undefined>, app: ReadonlyMap<string, string>): string | undefined {
  for (const obj of objects) {
    const value = syncOptionsOf(obj).get(name);
    if (value !== undefined) return value;
  }
  return app.get(name);
}

/** Whether a boolean option is `true` for these objects/app. */
export function optionIsTrue(name: string, objects: ReadonlyArray<KubeObject | undefined>, app: ReadonlyMap<string, string>): boolean {
  return optionValue(name, objects, app) === 'true';
}

/** The options of one task (§3 table: Prune on live; Validate on target; Replace/Force on either). */
export function taskOptions(target: KubeObject | undefined, live: KubeObject | undefined, app: ReadonlyMap<string, string>, strategyForce: boolean): TaskOptions {
  const prune = optionValue('Prune', [live], app);
  return {
    validate: optionValue('Validate', [target], app) !== 'false',
    replace: optionIsTrue('Replace', [target, live], app),
    force: strategyForce || optionIsTrue('Force', [target, live], app),
    prune: prune === 'false' || prune === 'confirm' ? prune : 'true',
    respectIgnoreDifferences: app.get('RespectIgnoreDifferences') === 'true',
  };
}

/** `PrunePropagationPolicy=foreground|background|orphan`; foreground by default. */
export function propagationPolicy(app: ReadonlyMap<string, string>): PropagationPolicy {
  const value = app.get('PrunePropagationPolicy');
  return value === 'background' || value === 'orphan' ? value : 'foreground';
}

/** Whether `PruneLast=true` applies to a prune of this live object (app, or the live object's option). */
export function isPruneLast(live: KubeObject | undefined, app: ReadonlyMap<string, string>): boolean {
  return optionIsTrue('PruneLast', [live], app);
}

/**
 * Whether `Prune=confirm` prunes may run: the app's `deletion-approved` time is at or after the
 * operation start (unix seconds).
 */
export function isPruneConfirmed(settings: PlanSettings): boolean {
  if (!settings.deletionApprovedAt) return false;
  const approved = Date.parse(settings.deletionApprovedAt);
  return Number.isFinite(approved) && approved / 1000 >= settings.startedAt;
}
