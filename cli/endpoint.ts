/**
 * Where the CLI finds the gitwave API: `--endpoint <url>`, else `GITWAVE_ENDPOINT`, else the
 * `api` of `$GITWAVE_HOME/local.json` that the embedded runtime writes when it is ready.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliError } from './errors.ts';
import type { LocalInfo } from '../local/runtime.ts';

/** The project root: the folder holding cli/. State of the local runtime lives under it by default. */
export const PROJECT_ROOT = resolve(new URL('..', import.meta.url).pathname);

/** `$GITWAVE_HOME`, default `.gitwave/` at the project root. */
export function gitwaveHome(): string {
  return resolve(process.env.GITWAVE_HOME ?? join(PROJECT_ROOT, '.gitwave'));
}

/** The facts the local runtime publishes in `$GITWAVE_HOME/local.json`. */
export type LocalRuntimeInfo = LocalInfo;

export function readLocalInfo(): LocalRuntimeInfo {
  const file = join(gitwaveHome(), 'local.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalRuntimeInfo;
  } catch {
    throw new CliError(`no local gitwave is running (${file} not found): start one with \`npm start\`, or pass --endpoint <url>`);
  }
}

export function resolveEndpoint(explicit?: string): string {
  const endpoint = explicit || process.env.GITWAVE_ENDPOINT || readLocalInfo().api;
  return endpoint.replace(/\/+$/, '');
}
