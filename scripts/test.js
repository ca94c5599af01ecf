#!/usr/bin/env node
// `npm test`: lint (including the rule that keeps the pure core free of I/O) and type-check, beside
// every test under test/ with node's test runner (the pure core's tests first, with coverage of the
// core), and a closing `N passed, N failed` line that CI reads. `npm test -- test/sync` runs only the
// files under the given paths. One DynamoDB Local (AWS's emulator, a JVM) serves the whole run, its
// endpoint handed to the tests in GITWAVE_TEST_DYNAMODB (test/helpers/dynamo.ts gives each test a
// database of its own on it), stopped at the end.
import { spawn } from 'node:child_process';
import { globSync } from 'node:fs';
import { availableParallelism, setPriority } from 'node:os';
import { resolve } from 'node:path';
import { tsImport } from 'tsx/esm/api';

const args = process.argv.slice(2);
const skipStatic = args.includes('--no-lint');
const filters = args.filter((a) => !a.startsWith('--'));

/**
 * Runs a static check at a lower CPU priority (it fills the moments the tests wait, and yields the
 * cores to them otherwise), its output held back so that it never interleaves with the tests'.
 */
function check(name, cmd, cmdArgs) {
  const started = Date.now();
  return new Promise((resolveCheck) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) setPriority(child.pid, 10);
    let output = '';
    child.stdout.on('data', (chunk) => { output += chunk; });
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('error', (error) => { output += `${error.message}\n`; });
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      output += code === 0 ? `${name}: ok (${seconds} s)\n` : `\n${name} failed (${seconds} s)\n`;
      resolveCheck({ ok: code === 0, output });
    });
  });
}

const { startDynamoDbLocal } = await tsImport('../local/dynamodb-local.ts', import.meta.url);
const dynamoStarting = startDynamoDbLocal();
dynamoStarting.catch(() => undefined);

// Lint and the type check run at once, beside the tests (the suite is CPU-bound on 2 cores, but its
// end-to-end tests also wait: the checks, at a lower priority, take those moments). A failed check
// stops the tests at once.
const checking = skipStatic ? [] : [
  check('lint', 'eslint', ['--max-warnings=0', '.']),
  check('typecheck', 'tsc', ['--noEmit', '-p', 'tsconfig.json']),
];
const staticChecks = Promise.all(checking);
let running;
const staticFailed = new Promise((resolveFailed) => {
  for (const c of checking) c.then((r) => { if (!r.ok) resolveFailed([r]); });
});

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

// Every test file is a process of its own that loads the AWS SDK, the CDK and the rest again: V8's
// compile cache, shared by all of them, spares most of that parsing (about 0.3 s of CPU per process).
const COMPILE_CACHE = process.env.NODE_COMPILE_CACHE ?? resolve('node_modules', '.cache', 'node-compile-cache');

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

/** Runs one pass of test files in node's test runner; its counts. */
function runPass({ files: passFiles, coverage }) {
  const nodeArgs = [
    '--import', 'tsx',
    '--test',
    `--test-concurrency=${CONCURRENCY}`,
    '--test-reporter=spec',
    ...(process.env.GITWAVE_TEST_TIMINGS ? ['--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${process.env.GITWAVE_TEST_TIMINGS}.${passFiles.length}.tap`] : []),
    // A hang guard per test and per file, not a speed check: a whole file of end-to-end tests on a
    // machine loaded several times over its 2 cores must still fit.
    '--test-timeout=600000',
    ...(coverage.length ? ['--experimental-test-coverage', ...coverage.map((glob) => `--test-coverage-include=${glob}`)] : []),
    ...passFiles,
  ];
  return new Promise((resolvePass) => {
    const child = spawn(process.execPath, nodeArgs, {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, GITWAVE_TEST_DYNAMODB: dynamo.endpoint, NODE_COMPILE_CACHE: COMPILE_CACHE },
    });
    running = child;
    let tail = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString()).slice(-200_000);
    });
    child.on('close', (code) => {
      const count = (label) => Number(tail.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
      const failed = count('fail') + count('cancelled');
      resolvePass({ passed: count('pass'), failed: failed > 0 || code !== 0 ? Math.max(failed, 1) : 0 });
    });
  });
}

async function runAll() {
  let passed = 0;
  let failed = 0;
  for (const pass of passes.filter((p) => p.files.length > 0)) {
    const result = await runPass(pass);
    passed += result.passed;
    failed += result.failed;
  }
  return { passed, failed };
}

const outcome = await Promise.race([runAll(), staticFailed]);
if (Array.isArray(outcome)) {
  running?.kill('SIGTERM');
  for (const r of outcome) process.stdout.write(r.output);
  await dynamo.stop();
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const checks = await staticChecks;
for (const r of checks) process.stdout.write(r.output);
await dynamo.stop();
const staticOk = checks.every((r) => r.ok);
console.log(staticOk ? `${outcome.passed} passed, ${outcome.failed} failed` : '0 passed, 1 failed');
process.exit(outcome.failed > 0 || !staticOk ? 1 : 0);
