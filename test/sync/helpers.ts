// Helpers for the sync tests: load YAML fixtures (one scenario per file), make settings, and turn a
// plan into compact lines that a table can compare.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../shared/model/object.ts';
import { planSync } from '../../shared/sync/plan.ts';
import { toPlanSteps } from '../../shared/sync/steps.ts';
import type { PlanSettings, SyncPlan, SyncPlanInput } from '../../shared/sync/types.ts';

export const FIXTURES = new URL('../fixtures/sync/', import.meta.url).pathname;

/** Every YAML document of a text, skipping empty ones. */
export function parseYaml(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((o): o is KubeObject => o !== null && typeof o === 'object');
}

/** The YAML documents of every .yaml file of a folder (not recursive), in file-name order. */
export function loadFolder(dir: string): KubeObject[] {
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort().flatMap((f) => parseYaml(readFileSync(join(dir, f), 'utf8')));
}

/**
 * A scenario fixture: `desired` documents, and `live` ones after a document `kind: LiveMarker`
 * (a line `# live` would be lost by the YAML parser, so the marker is a document).
 */
export function loadScenario(name: string): { desired: KubeObject[]; live: KubeObject[] } {
  const docs = parseYaml(readFileSync(join(FIXTURES, `${name}.yaml`), 'utf8'));
  const marker = docs.findIndex((d) => d.kind === 'LiveMarker');
  return marker < 0 ? { desired: docs, live: [] } : { desired: docs.slice(0, marker), live: docs.slice(marker + 1) };
}

export function settings(overrides: Partial<PlanSettings> = {}): PlanSettings {
  return { appInstance: 'app', destinationNamespace: 'default', prune: true, revision: 'abcdef0123456789', startedAt: 1700000000, ...overrides };
}

/** Plan a scenario fixture with settings overrides. */
export function planScenario(name: string, overrides: Partial<PlanSettings> = {}, extra: Partial<SyncPlanInput> = {}): SyncPlan {
  return planSync({ ...loadScenario(name), settings: settings(overrides), ...extra });
}

/** `phase wave action kind name` per step, the form the tables below compare. */
export function stepLines(plan: SyncPlan): string[] {
  return toPlanSteps(plan).map((s) => `${s.phase} ${s.wave} ${s.action} ${s.kind} ${s.name}${s.skipped ? ` [${s.skipped}]` : ''}`);
}
