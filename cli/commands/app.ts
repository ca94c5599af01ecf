/**
 * `gitwave app …`: Applications through the API: list, get (with resources, `--watch` to follow the
 * operation), history, diff, sync (`--watch`), rollback; create, delete and wait live in
 * app-lifecycle.ts and app-wait.ts. `-o json|yaml` prints exactly what the API returns, `-o wide`
 * adds columns, text is for people.
 */
import type { Command } from 'commander';
import { apiOf, example, seg, withApiOptions, type ApiOptions } from '../api-options.ts';
import { CliError } from '../errors.ts';
import { formatAppDetail, formatAppTable, formatHistory, type AppSummary, type AppDetail, type HistoryEntry } from '../format-app.ts';
import { printResult } from '../output.ts';
import { registerLifecycle } from './app-lifecycle.ts';
import { registerWait, watchOptions, watchUntilDone, type WatchFlags } from './app-wait.ts';

export function register(program: Command): void {
  const app = example(program.command('app').description('Applications: list, get, create, sync, wait, history, diff, rollback, delete'),
    'gitwave app list', 'gitwave app sync orders-dev --watch');

  example(withApiOptions(app.command('list').description('every Application with its sync, health and last operation')),
    'gitwave app list -o wide').action(async (opts: ApiOptions) => {
    const { format, api } = apiOf(opts);
    const apps = await api.get<AppSummary[]>('/api/applications');
    printResult(format, apps, (wide) => formatAppTable(apps, wide));
  });

  example(watchOptions(withApiOptions(app.command('get <name>').description('one Application with its resources; --watch follows its operation live'))),
    'gitwave app get orders-dev', 'gitwave app get orders-dev --watch --timeout 10m').action(async (name: string, opts: ApiOptions & WatchFlags) => {
    const { format, api } = apiOf(opts);
    if (opts.watch) return watchUntilDone(api, name, format, opts);
    const detail = await api.get<AppDetail>(`/api/applications/${seg(name)}`);
    printResult(format, detail, (wide) => formatAppDetail(detail, wide));
  });

  example(withApiOptions(app.command('history <name>').description('successful deploys, newest first')),
    'gitwave app history orders-dev').action(async (name: string, opts: ApiOptions) => {
    const { format, api } = apiOf(opts);
    const history = await api.get<HistoryEntry[]>(`/api/applications/${seg(name)}/history`);
    printResult(format, history, (wide) => formatHistory(history, wide));
  });

  example(withApiOptions(app.command('diff <name>').description('what a sync would change (Secret values redacted)')),
    'gitwave app diff orders-dev').action(async (name: string, opts: ApiOptions) => {
    const { format, api } = apiOf(opts);
    const diff = await api.get<{ text?: string }>(`/api/applications/${seg(name)}/diff`);
    printResult(format, diff, () => diff.text ?? JSON.stringify(diff, null, 2));
  });

  example(watchOptions(withApiOptions(app.command('sync <name>').description('sync now (optionally a revision, with prune, dry run, or one-off image overrides); --watch follows it live'))),
    'gitwave app sync orders-dev --watch',
    'gitwave app sync orders-dev --image ghcr.io/gitwave-demo/orders-rest=ghcr.io/gitwave-demo/orders-rest:1.5.0-rc1')
    .option('--revision <rev>', 'a branch, tag or SHA instead of targetRevision')
    .option('--prune', 'delete tracked objects no longer in Git')
    .option('--dry-run', 'run the server-side dry run only')
    .option('--image <name=ref...>', 'one-off image override (not from Git; recorded as such)')
    .option('--resource <GROUP:KIND:[NAMESPACE/]NAME...>', 'sync only these resources (no hooks, no history entry), e.g. apps:Deployment:orders-dev/orders-grpc, :ConfigMap:orders-dev/orders-config')
    .action(async (name: string, opts: ApiOptions & WatchFlags & { revision?: string; prune?: boolean; dryRun?: boolean; image?: string[]; resource?: string[] }) => {
      const { format, api } = apiOf(opts);
      const body = {
        revision: opts.revision, prune: opts.prune ?? false, dryRun: opts.dryRun ?? false, overrides: opts.image ? { images: opts.image } : undefined,
        resources: opts.resource?.map(parseResourceFlag),
      };
      const result = await api.post<{ syncId: string; message?: string }>(`/api/applications/${seg(name)}/sync`, body);
      if (opts.watch) {
        if (format === 'text' || format === 'wide') process.stdout.write(`sync ${result.syncId} requested\n`);
        return watchUntilDone(api, name, format, opts, result.syncId);
      }
      printResult(format, result, () => `sync ${result.syncId} started${result.message ? `: ${result.message}` : ''}`);
    });

  example(withApiOptions(app.command('rollback <name> <historyId>').description('deploy a history entry again (refused while auto-sync is on)')),
    'gitwave app rollback orders-dev 3')
    .option('--prune', 'delete tracked objects not in that revision')
    .action(async (name: string, historyId: string, opts: ApiOptions & { prune?: boolean }) => {
      if (!/^\d+$/.test(historyId)) throw new CliError(`history id must be a whole number, got ${historyId}`, 2);
      const { format, api } = apiOf(opts);
      const result = await api.post<{ syncId: string }>(`/api/applications/${seg(name)}/rollback`, { id: Number(historyId), prune: opts.prune ?? false });
      printResult(format, result, () => `rollback ${result.syncId} started`);
    });

  registerLifecycle(app);
  registerWait(app);
}

/**
 * One `--resource` as Argo CD writes it, `GROUP:KIND:NAME` or `GROUP:KIND:NAMESPACE/NAME` (the core
 * group empty), as the API takes it; a CliError naming the flag otherwise.
 * @example parseResourceFlag('apps:Deployment:orders-dev/orders-grpc') // { group: 'apps', kind: 'Deployment', namespace: 'orders-dev', name: 'orders-grpc' }
 */
export function parseResourceFlag(text: string): { group: string; kind: string; namespace: string; name: string } {
  const match = /^([^:/]*):([^:/]+):(?:([^:/]+)\/)?([^:/]+)$/.exec(text);
  if (!match) throw new CliError(`--resource ${JSON.stringify(text)}: expected GROUP:KIND:NAME or GROUP:KIND:NAMESPACE/NAME (the core group empty, e.g. :ConfigMap:web/settings)`);
  return { group: match[1], kind: match[2], namespace: match[3] ?? '', name: match[4] };
}

