#!/usr/bin/env node
// `npm test`: lint (including the rule that keeps the pure core free of I/O) and type-check, beside
// every test under test/ with node's test runner (the pure core's tests first, with coverage of the
// core), and a closing `N passed, N failed` line that CI reads. `npm test -- test/sync` runs only the
// files under the given paths. One DynamoDB Local (AWS's emulator, a JVM) serves the whole run, its
// endpoint handed to the tests in GITWAVE_TEST_DYNAMODB (test/helpers/dynamo.ts gives each test a
// database of its own on it), stopped at the end.
import { spawn } from 'node:child_process';
import { existsSync, globSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, setPriority, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
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

// Files with a process of their own: one per core, beside the shared process (GITWAVE_TEST_CONCURRENCY
// overrides).
const CONCURRENCY = Number(process.env.GITWAVE_TEST_CONCURRENCY ?? Math.max(2, availableParallelism()));

// Each test process loads the AWS SDK and the rest again: V8's compile cache, shared by all of them,
// spares most of that parsing.
const COMPILE_CACHE = process.env.NODE_COMPILE_CACHE ?? resolve('node_modules', '.cache', 'node-compile-cache');

const all = globSync('test/**/*.test.ts').sort();
const files = filters.length ? all.filter((f) => filters.some((p) => f.startsWith(p))) : all;
const wholeRun = filters.length === 0;

// A test file imported by another one runs twice with a process per file, and its tests are lost in a
// shared process (the runner finds the module already loaded): what two files share goes in a helper.
for (const file of all) {
  const imported = readFileSync(file, 'utf8').match(/from '([^']+\.test\.ts)'/)?.[1];
  if (imported) {
    console.error(`${file} imports the test file ${imported}: move what they share into a helper`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// Most files run together in one process (node's test runner with isolation "none"): a process of its
// own per file loads node, tsx, the AWS SDK and the CDK again each time, about 1 s of CPU per file, and
// on 2 cores the suite is CPU-bound. Measured here: the 91 smallest files took 115 s of CPU in a process
// each, 21 s in one; the whole `npm test` went from 508 s to 437 s. These files keep a process of their
// own, two at a time:
// - the ones that start a whole local runtime, a browser or `gitwave start`, and wait on it (a second
//   file fills the waits);
const OWN_FOLDERS = ['test/e2e/', 'test/faults/', 'test/cli-app/', 'test/web/dashboard'];
// - the ones that load a Lambda handler (functions/) or set process.env: a handler reads its
//   configuration once per process, as on Lambda, so a second file in the same process would find the
//   first one's table and log level.
const PROCESS_STATE = /(from|import\() *'(\.\.\/)+functions\/|process\.env(\.\w+|\[[^\]]+\]) *=[^=]|Object\.assign\(process\.env/;
const ownProcess = (f) => OWN_FOLDERS.some((prefix) => f.startsWith(prefix)) || touchesProcessState(f);

/** True if `file`, or a helper under test/ that it imports, loads a handler or sets process.env. */
function touchesProcessState(file, seen = new Set()) {
  if (seen.has(file)) return false;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (PROCESS_STATE.test(text)) return true;
  const helpers = [...text.matchAll(/(?:from|import) *\(? *'(\.{1,2}\/[^']+\.ts)'/g)].map((m) => relative('.', resolve(dirname(file), m[1])));
  return helpers.some((helper) => helper.startsWith('test/') && existsSync(helper) && touchesProcessState(helper, seen));
}

// The pure core's own tests run first, with coverage of the core (STYLE.md §10). Coverage slows every
// process it is on by about 40%, so the other files run without it.
const CORE = ['model', 'sync', 'health', 'diff'];
const isCore = (f) => CORE.some((dir) => f.startsWith(`test/${dir}/`));
// Longest first, so the last minutes are not one long file running alone: the folders whose files
// start a whole local runtime or a browser, then the rest.
const HEAVY = ['test/faults/', 'test/e2e/', 'test/cli-app/', 'test/web/'];
const weight = (f) => { const i = HEAVY.findIndex((dir) => f.startsWith(dir)); return i === -1 ? HEAVY.length : i; };
const byWeight = (a, b) => weight(a) - weight(b) || a.localeCompare(b);

const coverCore = wholeRun && !args.includes('--no-coverage');
const together = files.filter((f) => !ownProcess(f));
const own = files.filter(ownProcess).sort(byWeight);
const isLight = (f) => weight(f) === HEAVY.length;
// Two streams side by side: the shared process (the core's pass first, then the rest), then the light
// files that need a process of their own (a Lambda handler's, each a few seconds), one at a time;
// beside it, the heavy ones, two at a time. Measured on a clean clone with every such file in the
// second stream: the first ended at 401 s and the second at 475 s, most of its last minute on files
// that wait with a core idle.
const streams = [
  [
    ...(coverCore ? [{ name: 'core', files: together.filter(isCore), shared: true, coverage: CORE.map((dir) => `shared/${dir}/**/*.ts`) }] : []),
    { name: 'shared', files: together.filter((f) => !coverCore || !isCore(f)), shared: true, coverage: [] },
    { name: 'own-light', files: own.filter(isLight), shared: false, concurrency: 1, coverage: [] },
  ],
  [{ name: 'own', files: own.filter((f) => !isLight(f)), shared: false, coverage: [] }],
];

const running = new Set();
/** Writes a stream's output whole lines at a time, so that two streams never mix within a line. */
function lineWriter() {
  let partial = '';
  return {
    write(chunk) {
      const text = partial + chunk;
      const end = text.lastIndexOf('\n') + 1;
      if (end > 0) process.stdout.write(text.slice(0, end));
      partial = text.slice(end);
    },
    flush() { if (partial) process.stdout.write(`${partial}\n`); partial = ''; },
  };
}

// A shared process's report goes to a file and is printed when the pass ends: in that process a test that
// captures process.stdout (the logger's tests do) would otherwise capture the report too.
const reports = mkdtempSync(join(tmpdir(), 'gitwave-test-'));

/** Runs one pass of test files in node's test runner; its counts. */
function runPass({ name, files: passFiles, shared, concurrency = CONCURRENCY, coverage }) {
  const report = join(reports, `${name}.txt`);
  const nodeArgs = [
    '--import', 'tsx',
    '--test',
    ...(shared ? ['--experimental-test-isolation=none'] : [`--test-concurrency=${concurrency}`]),
    '--test-reporter=spec', `--test-reporter-destination=${shared ? report : 'stdout'}`,
    ...(process.env.GITWAVE_TEST_TIMINGS ? ['--test-reporter=tap', `--test-reporter-destination=${process.env.GITWAVE_TEST_TIMINGS}.${name}.tap`] : []),
    // A hang guard per test and per file, not a speed check: a whole file of end-to-end tests on a
    // machine loaded several times over its 2 cores must still fit.
    '--test-timeout=600000',
    ...(coverage.length ? ['--experimental-test-coverage', ...coverage.map((glob) => `--test-coverage-include=${glob}`)] : []),
    ...passFiles,
  ];
  return new Promise((resolvePass) => {
    const child = spawn(process.execPath, nodeArgs, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GITWAVE_TEST_DYNAMODB: dynamo.endpoint, NODE_COMPILE_CACHE: COMPILE_CACHE },
    });
    running.add(child);
    const out = lineWriter();
    let tail = '';
    child.stdout.on('data', (chunk) => {
      out.write(chunk.toString());
      tail = (tail + chunk.toString()).slice(-200_000);
    });
    child.stderr.on('data', (chunk) => out.write(chunk.toString()));
    child.on('close', (code) => {
      running.delete(child);
      out.flush();
      if (shared) {
        let text;
        try { text = readFileSync(report, 'utf8'); } catch { text = `(no report from the ${name} pass)\n`; }
        process.stdout.write(text);
        tail = text.slice(-200_000);
      }
      const count = (label) => Number(tail.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
      const failed = count('fail') + count('cancelled');
      resolvePass({ passed: count('pass'), failed: failed > 0 || code !== 0 ? Math.max(failed, 1) : 0 });
    });
  });
}

async function runStream(passes) {
  let passed = 0;
  let failed = 0;
  for (const pass of passes.filter((p) => p.files.length > 0)) {
    const result = await runPass(pass);
    passed += result.passed;
    failed += result.failed;
  }
  return { passed, failed };
}

async function runAll() {
  const results = await Promise.all(streams.map(runStream));
  return results.reduce((sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed }), { passed: 0, failed: 0 });
}

const outcome = await Promise.race([runAll(), staticFailed]);
if (Array.isArray(outcome)) {
  for (const child of running) child.kill('SIGTERM');
  for (const r of outcome) process.stdout.write(r.output);
  await dynamo.stop();
  rmSync(reports, { recursive: true, force: true });
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const checks = await staticChecks;
for (const r of checks) process.stdout.write(r.output);
await dynamo.stop();
rmSync(reports, { recursive: true, force: true });
const staticOk = checks.every((r) => r.ok);
console.log(staticOk ? `${outcome.passed} passed, ${outcome.failed} failed` : '0 passed, 1 failed');
process.exit(outcome.failed > 0 || !staticOk ? 1 : 0);
