/**
 * The state machine definition for the local runtime, synthesized from the CDK stack once and kept
 * in a cache file keyed by a digest of everything the synthesis reads (infra/, the shared config and
 * function settings it imports, and the locked package versions). Synthesis takes seconds; every
 * start of the runtime, and every end-to-end test file, would otherwise pay it again. A changed
 * source gives a new digest, so a stale definition is never run.
 */
import { createHash } from 'node:crypto';
import { existsSync, globSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStateMachineDefinitions, type AslDefinition, type AslDefinitions, type AslState } from '../infra/local-definition.ts';

/** What `cdk synth` of the state machine depends on, relative to the project root. */
const SYNTH_INPUTS = ['infra/**/*.ts', 'shared/config/**/*.ts', 'shared/lambda/**/*.ts', 'shared/engine/contracts.ts', 'package-lock.json'];

export function synthesisDigest(projectRoot: string): string {
  const hash = createHash('sha256');
  const files = SYNTH_INPUTS.flatMap((pattern) => globSync(pattern, { cwd: projectRoot })).sort();
  for (const file of files) hash.update(file).update('\0').update(readFileSync(join(projectRoot, file))).update('\0');
  return hash.digest('hex').slice(0, 24);
}

/** The sync state machine's definition, from the cache (see cachedStateMachineDefinitions). */
export async function cachedStateMachineDefinition(projectRoot: string, cacheDir = tmpdir()): Promise<AslDefinition> {
  return (await cachedStateMachineDefinitions(projectRoot, cacheDir)).sync;
}

/** Both definitions from the cache in `cacheDir` (default the OS temp folder), synthesizing them on a miss. */
export async function cachedStateMachineDefinitions(projectRoot: string, cacheDir = tmpdir()): Promise<AslDefinitions> {
  const name = `gitwave-state-machine-${synthesisDigest(projectRoot)}.json`;
  const file = join(cacheDir, name);
  if (existsSync(file)) {
    try {
      const cached = JSON.parse(readFileSync(file, 'utf8')) as AslDefinitions;
      if (cached.sync && cached.writer) return cached;
    } catch {
      // a torn or foreign file: synthesize again and overwrite it
    }
  }
  const definition = await loadStateMachineDefinitions();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(definition));
  renameSync(tmp, file);
  // Definitions of earlier sources are never read again (a reader that loses one synthesizes anew).
  for (const old of globSync('gitwave-state-machine-*.json', { cwd: cacheDir })) if (old !== name) rmSync(join(cacheDir, old), { force: true });
  return definition;
}

/**
 * `retryIntervalOverrides` for aws-local-stepfunctions: each retrier's first interval times `scale`
 * (milliseconds, one entry per retrier of the state), so tests that scale the Wait states do not sit
 * through the deployed retry back-offs either. Backoff growth is not kept: the local interpreter
 * takes one fixed interval per retrier.
 */
export function scaledRetries(definition: AslDefinition, scale: number): Record<string, number[]> {
  const overrides: Record<string, number[]> = {};
  const visit = (states: Record<string, AslState>) => {
    for (const [name, state] of Object.entries(states)) {
      const retry = state.Retry as Array<{ IntervalSeconds?: number }> | undefined;
      if (retry?.length) overrides[name] = retry.map((r) => Math.round((r.IntervalSeconds ?? 1) * 1000 * scale));
      for (const branch of state.Branches ?? []) visit(branch.States);
      const iterator = (state.ItemProcessor ?? state.Iterator) as AslDefinition | undefined;
      if (iterator?.States) visit(iterator.States);
    }
  };
  visit(definition.States);
  return overrides;
}
