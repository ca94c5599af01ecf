/**
 * `node --import tsx scripts/bundle-sizes.ts [function …] [--top N] [--time]`: bundles each Lambda
 * function with the stack's esbuild options (BUNDLING in infra/constructs/gitwave-function.ts) and
 * lists what fills it, by package (or by project folder), biggest first, from esbuild's metafile.
 * `--time` also imports each bundle in a fresh Node process, from a folder outside the project, and
 * prints the wall-clock and CPU milliseconds of that import (CPU time says more on a loaded machine).
 * A tool for keeping bundles small: the held figures are test/infra/bundles.test.ts and
 * `npm run bench lambda`, both on the bundles the stack itself builds.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLING } from '../infra/constructs/gitwave-function.ts';
import { PROJECT_ROOT } from '../infra/paths.ts';
import { FUNCTION_KEYS, functionEntry, type FunctionKey } from '../shared/lambda/functions.ts';
import { timeImport } from '../bench/import-probe.ts';

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args[topAt + 1]) : 12;
const timed = args.includes('--time');
const wanted = args.filter((a, i) => !a.startsWith('--') && !(topAt >= 0 && i === topAt + 1));
const keys = (wanted.length ? wanted : FUNCTION_KEYS) as FunctionKey[];
const scratch = mkdtempSync(join(tmpdir(), 'gitwave-bundle-sizes-'));

try {
  for (const key of keys) {
    const { meta, code } = await bundle(key);
    const output = Object.values(meta.outputs).find((o) => o.entryPoint);
    if (!output) throw new Error(`${key}: esbuild wrote no entry output`);
    console.log(`\n${key}: ${output.bytes} bytes${timed ? `, import ${importTime(key, code)}` : ''}`);
    for (const [group, bytes] of biggest(output.inputs, top)) console.log(`  ${String(bytes).padStart(9)}  ${group}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The same options the stack's NodejsFunction passes to esbuild, with a metafile and no files written. */
async function bundle(key: FunctionKey): Promise<{ meta: Metafile; code: Uint8Array }> {
  const result = await build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: [functionEntry(key)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    minify: BUNDLING.minify,
    mainFields: BUNDLING.mainFields,
    alias: Object.fromEntries(BUNDLING.esbuildArgs['--alias'].map((a) => a.split('='))),
    banner: { js: BUNDLING.banner },
    outfile: join(scratch, 'index.mjs'),
    write: false,
    metafile: true,
    logLevel: 'error',
  });
  const file = result.outputFiles.find((f) => f.path.endsWith('.mjs'));
  if (!file) throw new Error(`${key}: esbuild wrote no index.mjs`);
  return { meta: result.metafile, code: file.contents };
}

function importTime(key: FunctionKey, code: Uint8Array): string {
  const file = join(scratch, `${key}.mjs`);
  writeFileSync(file, code);
  const { wallMs, cpuMs } = timeImport(file);
  return `${wallMs.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU`;
}

/** Output bytes by package (`@aws-sdk/client-s3`) or by project folder (`shared/store`). */
function biggest(inputs: Metafile['outputs'][string]['inputs'], count: number): Array<[string, number]> {
  const groups = new Map<string, number>();
  for (const [file, input] of Object.entries(inputs)) groups.set(groupOf(file), (groups.get(groupOf(file)) ?? 0) + input.bytesInOutput);
  return [...groups].sort((a, b) => b[1] - a[1]).slice(0, count);
}

function groupOf(file: string): string {
  const parts = file.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return parts.slice(0, Math.min(2, parts.length - 1)).join('/') || file;
  return parts[at + 1].startsWith('@') ? `${parts[at + 1]}/${parts[at + 2]}` : parts[at + 1];
}
