/**
 * How a benchmark hands its figures to `npm run bench -- --json <file>`: run.ts gives each child
 * process a fragment file (BENCH_REPORT) and merges the fragments into the one JSON document.
 * `--quick` reaches the children as BENCH_QUICK=1: smaller sizes, the same code paths.
 */
import { writeFileSync } from 'node:fs';

export const QUICK = process.env.BENCH_QUICK === '1';

/** Records figures under dotted keys (`{ 'drift.seconds': 1.2 }`); a no-op without `--json`. */
export function report(figures: Record<string, number | string | boolean>): void {
  const file = process.env.BENCH_REPORT;
  if (file) writeFileSync(file, JSON.stringify(figures));
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
