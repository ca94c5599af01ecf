#!/usr/bin/env node
// `npm test`: lint (including the rule that keeps the pure core free of I/O), type-check, then every
// test under test/ with node's test runner (the pure core's tests first, with coverage of the core),
// and a closing `N passed, N failed` line that CI reads. `npm test -- test/sync` runs only the files
// under the given paths. One DynamoDB Local (AWS's emulator, a JVM) serves the whole run: started
// while lint and the type check run, its endpoint handed to the tests in GITWAVE_TEST_DYNAMODB
// (test/helpers/dynamo.ts gives each test a database of its own on it), stopped at the end.
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { tsImport } from 'tsx/esm/api';

const args = process.argv.slice(2);
const skipStatic = args.includes('--no-lint');
const filters = args.filter((a) => !a.startsWith('--'));

/** Runs a static check with its output held back, so two checks running at once do not interleave. */
function check(name, cmd, cmdArgs) {
  const started = Date.now();
  return new Promise((resolveCheck) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', (error) => { output += `${error.message}\n`; });
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(output);
      console.log(code === 0 ? `${name}: ok (${seconds} s)` : `\n${name} failed (${seconds} s)`);
      resolveCheck(code === 0);
    });
  });
}

const { startDynamoDbLocal } = await tsImport('../local/dynamodb-local.ts', import.meta.url);
const dynamoStarting = startDynamoDbLocal();
dynamoStarting.catch(() => undefined);

// Lint and the type check run at once (each is mostly one core's work), and the pure core's tests run
// beside them once DynamoDB Local is up; the rest waits for both checks.
const staticChecks = skipStatic ? Promise.resolve(true) : Promise.all([
  check('lint', 'eslint', ['--max-warnings=0', '.']),
  check('typecheck', 'tsc', ['--noEmit', '-p', 'tsconfig.json']),
]).then((results) => !results.includes(false));

let dynamo;
try {
  dynamo = await dynamoStarting;
} catch (error) {
  console.error(`\nDynamoDB Local: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// One file per core: a third file on 2 cores measured no faster (8 min 35 s against 8 min 37 s), only
// more loaded (GITWAVE_TEST_CONCURRENCY overrides).
const CONCURRENCY = Number(process.env.GITWAVE_TEST_CONCURRENCY ?? Math.max(2, availableParallelism()));

const all = globSync('test/**/*.test.ts').sort();
const files = filters.length ? all.filter((f) => filters.some((p) => f.startsWith(p))) : all;
const wholeRun = filters.length === 0;

// The pure core's own tests run first, with coverage of the core (STYLE.md §10). Coverage slows every
// process it is on by about 40%, so the adapters' and end-to-end tests run without it.
const CORE = ['model', 'sync', 'health', 'diff'];
const isCore = (f) => CORE.some((dir) => f.startsWith(`test/${dir}/`));
// Longest first, so the last minutes are not one long file running alone: the folders whose files
// start a whole local runtime or a browser, then the CLI's, then the rest.
const HEAVY = ['test/faults/', 'test/e2e/', 'test/web/', 'test/cli-app/', 'test/cli/', 'test/infra/'];
const weight = (f) => { const i = HEAVY.findIndex((dir) => f.startsWith(dir)); return i === -1 ? HEAVY.length : i; };
const byWeight = (a, b) => weight(a) - weight(b) || a.localeCompare(b);

const passes = wholeRun && !args.includes('--no-coverage')
  ? [
    { files: files.filter(isCore), coverage: CORE.map((dir) => `shared/${dir}/**/*.ts`) },
    { files: files.filter((f) => !isCore(f)).sort(byWeight), coverage: [] },
  ]
  : [{ files: [...files].sort(byWeight), coverage: [] }];

/** Runs one pass; `hold` keeps its output until it ends (it runs beside the static checks). */
function runPass({ files: passFiles, coverage }, { hold = false } = {}) {
  const nodeArgs = [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${CONCURRENCY}`,
    '--test-reporter=spec',
    // A hang guard per test and per file, not a speed check: a whole file of end-to-end tests on a
    // machine loaded several times over its 2 cores must still fit.
    '--test-timeout=600000',
    ...(coverage.length ? ['--experimental-test-coverage', ...coverage.map((glob) => `--test-coverage-include=${glob}`)] : []),
    ...passFiles,
  ];
  return new Promise((resolvePass) => {
    const child = spawn(process.execPath, nodeArgs, {
      stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, GITWAVE_TEST_DYNAMODB: dynamo.endpoint },
    });
    let tail = '';
    let held = '';
    child.stdout.on('data', (chunk) => {
      if (hold) held += chunk;
      else process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-200_000);
    });
    child.on('close', (code) => {
      process.stdout.write(held);
      const count = (label) => Number(tail.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
      const failed = count('fail') + count('cancelled');
      resolvePass({ passed: count('pass'), failed: failed > 0 || code !== 0 ? Math.max(failed, 1) : 0 });
    });
  });
}

let passed = 0;
let failed = 0;
const [first, ...rest] = passes.filter((p) => p.files.length > 0);
const [staticOk, firstResult] = await Promise.all([staticChecks, first ? runPass(first, { hold: !skipStatic }) : { passed: 0, failed: 0 }]);
if (!staticOk) {
  await dynamo.stop();
  console.log('0 passed, 1 failed');
  process.exit(1);
}
passed += firstResult.passed;
failed += firstResult.failed;
for (const pass of rest) {
  const result = await runPass(pass);
  passed += result.passed;
  failed += result.failed;
}
await dynamo.stop();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
