#!/usr/bin/env node
// `npm test`: lint (including the rule that keeps the pure core free of I/O), type-check, then every
// test under test/ with node's test runner, coverage of shared/, and a closing `N passed, N failed`
// line that CI reads. `npm test -- test/sync` runs only the files under the given paths.
import { spawn, spawnSync } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism } from 'node:os';

const args = process.argv.slice(2);
const skipStatic = args.includes('--no-lint');
const filters = args.filter((a) => !a.startsWith('--'));

function step(name, cmd, cmdArgs) {
  const started = Date.now();
  const result = spawnSync(cmd, cmdArgs, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n${name} failed (${seconds} s)`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
  console.log(`${name}: ok (${seconds} s)`);
}

if (!skipStatic) {
  step('lint', 'eslint', ['--max-warnings=0', '.']);
  step('typecheck', 'tsc', ['--noEmit', '-p', 'tsconfig.json']);
}

const all = globSync('test/**/*.test.ts').sort();
const files = filters.length ? all.filter((f) => filters.some((p) => f.startsWith(p))) : all;
const coverage = filters.length === 0 && !args.includes('--no-coverage');
const nodeArgs = [
  '--import', 'tsx',
  '--test',
  `--test-concurrency=${Math.max(2, availableParallelism())}`,
  '--test-reporter=spec',
  '--test-timeout=180000',
  ...(coverage
    ? ['--experimental-test-coverage', '--test-coverage-include=shared/**/*.ts']
    : []),
  ...files,
];
const child = spawn(process.execPath, nodeArgs, { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-200_000);
});
child.on('close', (code) => {
  const count = (label) => Number(tail.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const failedOverall = failed > 0 || code !== 0 ? Math.max(failed, 1) : 0;
  console.log(`${passed} passed, ${failedOverall} failed`);
  process.exit(failedOverall > 0 ? 1 : 0);
});
