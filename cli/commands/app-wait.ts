/**
 * `gitwave app wait <name> [--sync] [--health] [--operation] [--timeout 300s]`, and the `--watch` of
 * `app get` and `app sync`. Without flags, `wait` waits for all three, like `argocd app wait`.
 * Exit codes: 0 reached, 1 the operation failed, 2 timed out (or a usage error).
 */
import type { Command } from 'commander';
import type { ApiClient } from '../api-client.ts';
import { apiOf, example, withApiOptions, type ApiOptions } from '../api-options.ts';
import { isData, painter, printResult, type OutputFormat } from '../output.ts';
import { durationMs, follow, type Wanted } from '../watch.ts';
import { operationLines } from '../format-operation.ts';

export interface WatchFlags {
  watch?: boolean;
  timeout: string;
}

/** `--watch` and `--timeout` for `app get` and `app sync`. */
export function watchOptions(cmd: Command): Command {
  return cmd
    .option('-w, --watch', 'follow the operation live until Synced and Healthy (exit 0), a failure (1) or the timeout (2)')
    .option('--timeout <duration>', 'with --watch: give up after this long (300s, 5m, 1h)', '300s');
}

/** Follows `name` until Synced, Healthy and no operation running; sets the exit code. */
export async function watchUntilDone(api: ApiClient, name: string, format: OutputFormat, opts: WatchFlags, requestId?: string): Promise<void> {
  await followAndReport(api, name, format, { sync: true, health: true, operation: true }, durationMs(opts.timeout), { live: true, requestId });
}

async function followAndReport(api: ApiClient, name: string, format: OutputFormat, wanted: Wanted, timeoutMs: number, how: { live: boolean; requestId?: string }): Promise<void> {
  const data = isData(format);
  const { requestId } = how;
  const outcome = await follow({ api, name, wanted, timeoutMs, ...(requestId ? { requestId } : {}), ...(how.live && !data ? { out: process.stdout } : {}) });
  if (data) printResult(format, { ...outcome.view, outcome: { code: outcome.code, reason: outcome.reason } }, () => operationLines(outcome.view, painter()).join('\n'));
  (outcome.code === 0 ? process.stdout : process.stderr).write(`${outcome.code === 0 ? '' : 'gitwave: '}${outcome.reason}\n`);
  process.exitCode = outcome.code;
}

export function registerWait(app: Command): void {
  example(withApiOptions(app.command('wait <name>').description('wait until the Application is Synced, Healthy and/or has no operation running (default: all three); exit 0 reached, 1 operation failed, 2 timed out')),
    'gitwave app wait orders-dev --health --timeout 5m', 'gitwave app wait orders-dev --operation -o json')
    .option('--sync', 'wait for sync status Synced')
    .option('--health', 'wait for health Healthy')
    .option('--operation', 'wait until no operation is running')
    .option('--timeout <duration>', 'give up after this long (300s, 5m, 1h)', '300s')
    .action(async (name: string, opts: ApiOptions & { sync?: boolean; health?: boolean; operation?: boolean; timeout: string }) => {
      const { format, api } = apiOf(opts);
      const any = opts.sync || opts.health || opts.operation;
      const wanted = { sync: !any || !!opts.sync, health: !any || !!opts.health, operation: !any || !!opts.operation };
      await followAndReport(api, name, format, wanted, durationMs(opts.timeout), { live: false });
    });
}
