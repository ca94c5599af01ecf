/**
 * `npm run bench [name …]`: runs each `bench/<name>.bench.ts` in turn (all of them by default), each
 * in its own process so one benchmark's warm caches do not flatter the next. Benchmarks print their
 * figures; they never pass or fail the test suite.
 */
import { spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { basename } from 'node:path';

const wanted = process.argv.slice(2);
const all = globSync('bench/*.bench.ts').sort();
const chosen = wanted.length ? all.filter((f) => wanted.includes(basename(f, '.bench.ts'))) : all;
if (chosen.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}; have: ${all.map((f) => basename(f, '.bench.ts')).join(', ')}`);
  process.exit(2);
}
for (const file of chosen) {
  console.log(`\n## ${basename(file, '.bench.ts')}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', file], { stdio: 'inherit' });
  if (run.status !== 0) console.log(`(${file} exited with ${run.status})`);
}
