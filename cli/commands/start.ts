/**
 * `gitwave start` (`npm start`): the embedded local runtime — the whole service on this machine,
 * on loopback, until Ctrl-C. State lives under `$GITWAVE_HOME` (default `.gitwave/`), so a restart
 * keeps Applications, history and the sample repository.
 */
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { gitwaveHome } from '../endpoint.ts';
import { CliError } from '../errors.ts';

interface StartOptions {
  port?: string;
  kubeconfig?: string;
  context?: string;
  rolloutDelay?: string;
  waitScale?: string;
}

export function register(program: Command): void {
  program
    .command('start')
    .description('run the whole service on this machine (embedded local runtime)')
    .addHelpText('after', exampleText('gitwave start --wait-scale 0.1'))
    .option('--port <n>', 'gateway port on 127.0.0.1 (default $GITWAVE_PORT or 8080)')
    .option('--kubeconfig <file>', 'deploy to a real cluster through this kubeconfig instead of the simulator')
    .option('--context <name>', 'kubeconfig context to use (with --kubeconfig)')
    .option('--rollout-delay <s>', 'simulator: seconds before workloads become ready', '2')
    .option('--wait-scale <x>', 'multiply the state machine\'s Wait states and retry intervals (1 = as deployed; smaller for demos and tests)')
    .action(async (opts: StartOptions) => {
      const port = Number(opts.port ?? process.env.GITWAVE_PORT ?? 8080);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be a port number, got ${opts.port}`, 2);
      const waitScale = opts.waitScale === undefined ? undefined : Number(opts.waitScale);
      if (waitScale !== undefined && !(waitScale >= 0)) throw new CliError(`--wait-scale must be a number ≥ 0, got ${opts.waitScale}`, 2);
      const rolloutDelaySeconds = Number(opts.rolloutDelay ?? 2);
      if (!(rolloutDelaySeconds >= 0)) throw new CliError(`--rollout-delay must be a number of seconds ≥ 0, got ${opts.rolloutDelay}`, 2);
      quietSqliteWarning();
      const { startLocalRuntime } = await import('../../local/runtime.ts');
      const runtime = await startLocalRuntime({
        home: gitwaveHome(),
        port,
        kubeconfig: opts.kubeconfig,
        context: opts.context,
        rolloutDelaySeconds,
        waitScale,
      });
      const { info } = runtime;
      process.stdout.write([
        'gitwave is running on this machine.',
        `  API:            ${info.api}`,
        `  Dashboard:      ${info.dashboard}`,
        `  Webhook:        POST ${info.webhook}`,
        `  Webhook secret: ${info.webhookSecret}`,
        `  Kubeconfig:     ${info.kubeconfig}`,
        `  Sample repo:    ${info.sampleRepo} (as ${info.sampleRepoUrl}, branch ${info.sampleBranch})`,
        '',
        'Try: npx gitwave app list · npx gitwave demo push · kubectl --kubeconfig ' + info.kubeconfig + ' get pods -A',
        'Stop with Ctrl-C.',
        '',
      ].join('\n'));
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          process.stdout.write(`\n${signal}: stopping…\n`);
          runtime.stop().then(resolve, resolve);
        };
        process.once('SIGINT', () => shutdown('SIGINT'));
        process.once('SIGTERM', () => shutdown('SIGTERM'));
      });
    });
}

/**
 * fauxqs keeps its queues in `node:sqlite`, which Node 22 still flags as experimental on first use;
 * that warning says nothing to a person starting gitwave, so it alone is dropped.
 */
function quietSqliteWarning(): void {
  const emitWarning = process.emitWarning.bind(process);
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if (type === 'ExperimentalWarning' && String(warning).includes('SQLite')) return;
    (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
}
