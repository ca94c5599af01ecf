/**
 * The comparison of SPEC-sync §5.2 (server-side diff): the cluster adapter gets predicted live from a
 * server-side dry-run apply (fields it does not own already reverted to live); this normalises both
 * sides (§5.3), deletes ignored differences (§5.4), compares, and returns the sides and changes with
 * Secret values masked, fit to show.
 */
import { isRecord, type KubeObject } from '../model/object.ts';
import { changesBetween, type Change } from './changes.ts';
import { applyIgnores, planIgnores, validateIgnoreDifferences, type IgnoreDifference } from './ignore.ts';
import { deepEqual } from './json.ts';
import { normalize, type NormalizeOptions } from './normalize.ts';
import { maskSecretPair } from './secret.ts';

const TRACKING_ID = 'argocd.argoproj.io/tracking-id';

/** Options of {@link diffObjects}. */
export interface DiffOptions extends NormalizeOptions {
  /** The app's `ignoreDifferences` plus any system-level entries. Default none. */
  ignoreDifferences?: readonly IgnoreDifference[];
  /**
   * The tracking label (`app.kubernetes.io/instance` unless configured). When set, a live object with
   * this label, naming the app, but no tracking annotation, is read as having predicted's annotation
   * (§5.3 label→annotation migration). Default: no migration.
   */
  trackingLabel?: string;
}

/** The outcome of a comparison. The objects and changes are masked for Secrets. */
export interface DiffResult {
  modified: boolean;
  normalizedPredicted: KubeObject | null;
  normalizedLive: KubeObject | null;
  changes: Change[];
}

function migrateTracking(predicted: KubeObject, live: KubeObject, label: string): void {
  const id = predicted.metadata?.annotations?.[TRACKING_ID];
  const instance = live.metadata?.labels?.[label];
  if (!id || !instance || !isRecord(live.metadata) || live.metadata.annotations?.[TRACKING_ID] !== undefined) return;
  if (id.startsWith(`${instance}:`)) live.metadata.annotations = { ...live.metadata.annotations, [TRACKING_ID]: id };
}

/**
 * Compares predicted live (or null: not desired) with live (or null: absent). Throws a
 * DiffConfigError for an unusable `ignoreDifferences` entry (jq expressions included).
 * @example diffObjects(predicted, live, { ignoreDifferences: [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] }] }).modified // false when only replicas differ
 */
export function diffObjects(predictedLive: KubeObject | null, live: KubeObject | null, options: DiffOptions = {}): DiffResult {
  const entries = options.ignoreDifferences ?? [];
  validateIgnoreDifferences(entries);
  const subject = predictedLive ?? live;
  const plan = subject ? planIgnores(entries, subject, live) : { pointers: [], ownedTrees: [] };
  const predicted = predictedLive && normalize(predictedLive, options);
  const current = live && normalize(live, options);
  if (predicted && current && options.trackingLabel) migrateTracking(predicted, current, options.trackingLabel);
  applyIgnores(predicted, plan);
  applyIgnores(current, plan);
  const modified = !deepEqual(predicted, current);
  const [shownPredicted, shownLive] = maskSecretPair(predicted, current);
  const changes = modified ? changesBetween(shownPredicted ?? undefined, shownLive ?? undefined) : [];
  return { modified, normalizedPredicted: shownPredicted, normalizedLive: shownLive, changes };
}
