/**
 * The time Node takes to import one module in a fresh process (what a Lambda cold start pays before
 * the handler runs): wall-clock and CPU milliseconds. On a loaded machine the wall clock mostly
 * measures the wait for a core; the CPU time (user + system of that process) is what an idle
 * machine, or a Lambda sandbox with its own vCPU, would come close to.
 */
import { execFileSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export interface ImportTime {
  wallMs: number;
  cpuMs: number;
}

const PROBE = [
  'const c = process.cpuUsage(); const t = performance.now(); await import(process.argv[1]);',
  'const u = process.cpuUsage(c);',
  'process.stdout.write(JSON.stringify({ wallMs: performance.now() - t, cpuMs: (u.user + u.system) / 1000 }));',
].join(' ');

/** Imports `file` once in a fresh Node (this one's binary) with nothing but PATH and a region set. */
export function timeImport(file: string): ImportTime {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', PROBE, pathToFileURL(file).href], {
    encoding: 'utf8', env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1' },
  });
  return JSON.parse(out) as ImportTime;
}
