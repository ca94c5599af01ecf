/**
 * `npm run bench lambda`: each function bundled as the stack bundles it (infra/function-bundles.ts),
 * its size, and the time Node 22 takes to import it in a fresh process (what a cold start pays
 * before the handler runs), wall clock and CPU, median of N imports (5, or 3 with --quick). The
 * bundles are copied out of the project first, so nothing resolves from node_modules. Asserts
 * nothing: sizes are held to 1 MB by test/infra/bundles.test.ts; times are figures only, and on a
 * loaded machine the CPU time is the one to read (bench/import-probe.ts).
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFunctions } from '../infra/function-bundles.ts';
import { PROJECT_ROOT } from '../infra/paths.ts';
import { percentile, QUICK, report, round } from './report.ts';
import { timeImport } from './import-probe.ts';

const IMPORTS = QUICK ? 3 : 5;

mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'bench-'));
const isolated = mkdtempSync(join(tmpdir(), 'gitwave-bench-lambda-'));
try {
  const bundles = bundleFunctions(outdir);
  const rows = bundles.map((b) => {
    const file = join(isolated, b.key, 'index.mjs');
    mkdirSync(join(isolated, b.key));
    copyFileSync(b.file, file);
    const times = Array.from({ length: IMPORTS }, () => timeImport(file));
    return { key: b.key, bytes: b.bytes, ms: percentile(times.map((t) => t.wallMs), 50), cpuMs: percentile(times.map((t) => t.cpuMs), 50) };
  });
  console.log(`function      bundle (bytes)  import on ${process.version}, median of ${IMPORTS}: wall ms   CPU ms`);
  for (const r of rows) console.log(`${r.key.padEnd(12)} ${String(r.bytes).padStart(15)}  ${r.ms.toFixed(0).padStart(32)} ${r.cpuMs.toFixed(0).padStart(8)}`);
  const figures: Record<string, number> = {
    'lambda.max_bundle_bytes': Math.max(...rows.map((r) => r.bytes)),
    'lambda.max_init_ms': round(Math.max(...rows.map((r) => r.ms)), 0),
    'lambda.max_init_cpu_ms': round(Math.max(...rows.map((r) => r.cpuMs)), 0),
  };
  for (const r of rows) {
    figures[`lambda.bundle_bytes.${r.key}`] = r.bytes;
    figures[`lambda.init_ms.${r.key}`] = round(r.ms, 0);
    figures[`lambda.init_cpu_ms.${r.key}`] = round(r.cpuMs, 0);
  }
  report(figures);
} finally {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(isolated, { recursive: true, force: true });
}
