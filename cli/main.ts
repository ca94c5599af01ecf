/**
 * The `gitwave` command line. Each verb lives in `cli/commands/<verb>.ts` and exports
 * `register(program)`; this file only wires them and maps errors to exit codes:
 * 0 success, 1 invalid input or a failed operation, 2 a usage error.
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './errors.ts';
type CommandModule = { register(program: Command): void };

/** Each verb and where it lives. Only the verb being run is imported, so a command starts fast. */
const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  start: () => import('./commands/start.ts'),
  plan: () => import('./commands/plan.ts'),
  render: () => import('./commands/render.ts'),
  lint: () => import('./commands/lint.ts'),
  app: () => import('./commands/app.ts'),
  demo: () => import('./commands/demo.ts'),
  sim: () => import('./commands/sim.ts'),
  schemas: () => import('./commands/schemas.ts'),
};

const program = new Command('gitwave')
  .description('GitOps continuous delivery for Amazon EKS, reading Argo CD manifests as they are.')
  .showHelpAfterError()
  .exitOverride();

const verb = process.argv[2];
const wanted = verb && Object.hasOwn(COMMANDS, verb) ? [COMMANDS[verb]] : Object.values(COMMANDS);
for (const load of wanted) (await load()).register(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeOf(error);
}

function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) {
    // help and version end with code 0; every other commander error is a usage error.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof CliError) {
    process.stderr.write(`gitwave: ${error.message}\n`);
    return error.exitCode;
  }
  process.stderr.write(`gitwave: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
}
