/**
 * `npm run bench [-- --quick] [-- --json <file>] [name …]`: runs each `bench/<name>.bench.ts` in
 * turn (all of them by default), each in its own process so one benchmark's warm caches do not
 * flatter the next. Benchmarks print their figures; they never pass or fail the test suite.
 * `--quick` asks each for its small size (the whole suite in minutes on 2 cores); `--json` merges
 * the figures they report (bench/report.ts) into one file, nested by their dotted keys, with the
 * machine they ran on.
 */
import { spawnSync } from 'node:child_process';
import { globSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, join } from 'node:path';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonAt = args.indexOf('--json');
const jsonFile = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
if (jsonAt >= 0 && !jsonFile) {
  console.error('--json needs a file name');
  process.exit(2);
}
// Names only: not the flags, nor the file after --json (when there is one).
const wanted = args.filter((a, i) => !a.startsWith('--') && !(jsonAt >= 0 && i === jsonAt + 1));
const all = globSync('bench/*.bench.ts').sort();
const chosen = wanted.length ? all.filter((f) => wanted.includes(basename(f, '.bench.ts'))) : all;
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${all.map((f) => basename(f, '.bench.ts')).join(', ')}`);
  process.exit(2);
}

const fragments = mkdtempSync(join(tmpdir(), 'gitwave-bench-'));
const figures: Record<string, unknown> = {};
const started = Date.now();
try {
  for (const file of chosen) {
    const name = basename(file, '.bench.ts');
    console.log(`\n## ${name}`);
    const fragment = join(fragments, `${name}.json`);
    const env = { ...process.env, BENCH_REPORT: fragment, ...(quick ? { BENCH_QUICK: '1' } : {}) };
    const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit', env });
    if (run.status !== 0) console.log(`(${file} exited with ${run.status})`);
    if (existsSync(fragment)) Object.assign(figures, JSON.parse(readFileSync(fragment, 'utf8')));
  }
} finally {
  rmSync(fragments, { recursive: true, force: true });
}

if (jsonFile) {
  const document = nest({
    ...figures,
    'run.quick': quick,
    'run.seconds': Math.round((Date.now() - started) / 1000),
    'run.finished_at': new Date().toISOString(),
    'machine.cpus': cpus().length,
    'machine.cpu_model': cpus()[0]?.model ?? 'unknown',
    'machine.memory_gib': Math.round(totalmem() / 2 ** 30),
    'machine.load_average_1m': Number(loadavg()[0].toFixed(2)),
    'machine.node': process.version,
  });
  writeFileSync(jsonFile, `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\nfigures written to ${jsonFile}`);
}

/** `{ 'a.b': 1 }` → `{ a: { b: 1 } }`. */
function nest(flat: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, any> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let at = out;
    for (const part of parts.slice(0, -1)) at = at[part] ??= {};
    at[parts.at(-1)!] = value;
  }
  return out;
}
