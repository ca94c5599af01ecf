/**
 * The `gitwave` command line. Each verb lives in `cli/commands/<verb>.ts` and exports
 * `register(program)`; this file only wires them and maps errors to exit codes:
 * 0 success, 1 invalid input or a failed operation, 2 a usage error.
 */
import { Command, CommanderError } from 'commander';
import { CliError } from './errors.ts';
import { register as registerStart } from './commands/start.ts';
import { register as registerApp } from './commands/app.ts';
import { register as registerDemo } from './commands/demo.ts';
import { register as registerSim } from './commands/sim.ts';
import { register as registerRender } from './commands/render.ts';
import { register as registerPlan } from './commands/plan.ts';
import { register as registerLint } from './commands/lint.ts';

const program = new Command('gitwave')
  .description('GitOps continuous delivery for Amazon EKS, reading Argo CD manifests as they are.')
  .showHelpAfterError()
  .exitOverride();

for (const register of [registerStart, registerApp, registerDemo, registerSim, registerRender, registerPlan, registerLint]) register(program);

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
