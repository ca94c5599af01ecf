/** `gitwave start`: the embedded local runtime. Until it lands, it says what is available. */
import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('start')
    .description('run the whole service on this machine (embedded local runtime)')
    .action(() => {
      process.stdout.write(
        'The embedded local runtime is not built yet. What works today:\n' +
          '  npx gitwave --help          every command\n' +
          '  npx gitwave plan <path>     the sync plan of a manifest folder\n',
      );
    });
}
