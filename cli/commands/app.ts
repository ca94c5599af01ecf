/**
 * `gitwave app …`: Applications as the API reports them — list, get (with resources), history,
 * diff, sync (with one-off overrides: the Git-independent deploy) and rollback. `-o json` prints
 * exactly what the API returns; text is a table for people.
 */
import type { Command } from 'commander';
import { apiClient } from '../api-client.ts';
import { resolveEndpoint } from '../endpoint.ts';
import { CliError } from '../errors.ts';
import { formatAppDetail, formatAppTable, formatHistory, type AppSummary, type AppDetail, type HistoryEntry } from '../format-app.ts';

type Output = { output: string; endpoint?: string };

export function register(program: Command): void {
  const app = program.command('app').description('Applications: list, get, sync, history, diff, rollback');
  const withCommon = (cmd: Command) =>
    cmd.option('-o, --output <format>', 'text or json', 'text').option('--endpoint <url>', 'the gitwave API (default: the local runtime)');

  withCommon(app.command('list').description('every Application with its sync, health and last operation')).action(async (opts: Output) => {
    const apps = await client(opts).get<AppSummary[]>('/api/applications');
    print(opts, apps, () => formatAppTable(apps));
  });

  withCommon(app.command('get <name>').description('one Application with its resources')).action(async (name: string, opts: Output) => {
    const detail = await client(opts).get<AppDetail>(`/api/applications/${encodeURIComponent(name)}`);
    print(opts, detail, () => formatAppDetail(detail));
  });

  withCommon(app.command('history <name>').description('successful deploys, newest first')).action(async (name: string, opts: Output) => {
    const history = await client(opts).get<HistoryEntry[]>(`/api/applications/${encodeURIComponent(name)}/history`);
    print(opts, history, () => formatHistory(history));
  });

  withCommon(app.command('diff <name>').description('what a sync would change (Secret values redacted)')).action(async (name: string, opts: Output) => {
    const diff = await client(opts).get<{ text?: string }>(`/api/applications/${encodeURIComponent(name)}/diff`);
    print(opts, diff, () => diff.text ?? JSON.stringify(diff, null, 2));
  });

  withCommon(app.command('sync <name>').description('sync now (optionally a revision, with prune, dry run, or one-off image overrides)'))
    .option('--revision <rev>', 'a branch, tag or SHA instead of targetRevision')
    .option('--prune', 'delete tracked objects no longer in Git')
    .option('--dry-run', 'run the server-side dry run only')
    .option('--image <name=ref...>', 'one-off image override (not from Git; recorded as such)')
    .action(async (name: string, opts: Output & { revision?: string; prune?: boolean; dryRun?: boolean; image?: string[] }) => {
      const body = { revision: opts.revision, prune: opts.prune ?? false, dryRun: opts.dryRun ?? false, overrides: opts.image ? { images: opts.image } : undefined };
      const result = await client(opts).post<{ syncId: string; message?: string }>(`/api/applications/${encodeURIComponent(name)}/sync`, body);
      print(opts, result, () => `sync ${result.syncId} started${result.message ? `: ${result.message}` : ''}`);
    });

  withCommon(app.command('rollback <name> <historyId>').description('deploy a history entry again (refused while auto-sync is on)'))
    .option('--prune', 'delete tracked objects not in that revision')
    .action(async (name: string, historyId: string, opts: Output & { prune?: boolean }) => {
      if (!/^\d+$/.test(historyId)) throw new CliError(`history id must be a whole number, got ${historyId}`, 2);
      const result = await client(opts).post<{ syncId: string }>(`/api/applications/${encodeURIComponent(name)}/rollback`, { id: Number(historyId), prune: opts.prune ?? false });
      print(opts, result, () => `rollback ${result.syncId} started`);
    });
}

function client(opts: Output) {
  if (!['text', 'json'].includes(opts.output)) throw new CliError(`--output must be text or json, got ${opts.output}`, 2);
  return apiClient(resolveEndpoint(opts.endpoint));
}

function print(opts: Output, data: unknown, text: () => string): void {
  process.stdout.write(opts.output === 'json' ? `${JSON.stringify(data, null, 2)}\n` : `${text()}\n`);
}
