/**
 * The `gitwave` command line. Each verb lives in `cli/commands/` (index.ts lists them) and exports
 * `register(program)`; this file only wires them and maps errors to exit codes:
 * 0 success, 1 invalid input or a failed operation, 2 a usage error (and `app wait`/`--watch` timing out).
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './errors.ts';
import { registerCommands } from './commands/index.ts';

const program = new Command('gitwave')
  .description('GitOps continuous delivery for Amazon EKS, reading Argo CD manifests as they are.')
  .showHelpAfterError()
  .exitOverride();

await registerCommands(program, process.argv[2]);

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
