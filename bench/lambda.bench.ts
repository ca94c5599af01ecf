/**
 * `npm run bench lambda`: each function bundled as the stack bundles it (infra/function-bundles.ts),
 * its size, and the time Node 22 takes to import it in a fresh process (what a cold start pays
 * before the handler runs), median of N imports (3, or 1 with --quick). The bundles are copied out
 * of the project first, so nothing resolves from node_modules. Asserts nothing: sizes are held to
 * 1 MB by test/infra/bundles.test.ts; times are figures only.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleFunctions } from '../infra/function-bundles.ts';
import { PROJECT_ROOT } from '../infra/paths.ts';
import { percentile, QUICK, report, round } from './report.ts';

const IMPORTS = QUICK ? 1 : 3;
const PROBE = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

mkdirSync(join(PROJECT_ROOT, 'cdk.out'), { recursive: true });
const outdir = mkdtempSync(join(PROJECT_ROOT, 'cdk.out', 'bench-'));
const isolated = mkdtempSync(join(tmpdir(), 'gitwave-bench-lambda-'));
try {
  const bundles = bundleFunctions(outdir);
  const rows = bundles.map((b) => {
    const file = join(isolated, b.key, 'index.mjs');
    mkdirSync(join(isolated, b.key));
    copyFileSync(b.file, file);
    const times = Array.from({ length: IMPORTS }, () => Number(execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(file).href], {
      encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' },
    })));
    return { key: b.key, bytes: b.bytes, ms: percentile(times, 50) };
  });
  console.log(`function      bundle (bytes)  import on ${process.version} (ms, median of ${IMPORTS})`);
  for (const r of rows) console.log(`${r.key.padEnd(12)} ${String(r.bytes).padStart(15)}  ${r.ms.toFixed(0).padStart(8)}`);
  const figures: Record<string, number> = {
    'lambda.max_bundle_bytes': Math.max(...rows.map((r) => r.bytes)),
    'lambda.max_init_ms': round(Math.max(...rows.map((r) => r.ms)), 0),
  };
  for (const r of rows) {
    figures[`lambda.bundle_bytes.${r.key}`] = r.bytes;
    figures[`lambda.init_ms.${r.key}`] = round(r.ms, 0);
  }
  report(figures);
} finally {
  rmSync(outdir, { recursive: true, force: true });
  rmSync(isolated, { recursive: true, force: true });
}
