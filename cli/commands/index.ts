/**
 * Each verb of `gitwave` and the module that registers it (`register(program)`). Only the verb being
 * run is imported, so a command starts fast; a module may register several verbs (catalog.ts:
 * `project` and `cluster`).
 */
import type { Command } from 'commander';

export type CommandModule = { register(program: Command): void };
type Loader = () => Promise<CommandModule>;

const catalog: Loader = () => import('./catalog.ts');

export const COMMANDS: Record<string, Loader> = {
  start: () => import('./start.ts'),
  plan: () => import('./plan.ts'),
  render: () => import('./render.ts'),
  lint: () => import('./lint.ts'),
  app: () => import('./app.ts'),
  project: catalog,
  cluster: catalog,
  demo: () => import('./demo.ts'),
  sim: () => import('./sim.ts'),
  schemas: () => import('./schemas.ts'),
};

/** Registers `verb` (or every verb when it is not one) on `program`. */
export async function registerCommands(program: Command, verb?: string): Promise<void> {
  const loaders = verb && Object.hasOwn(COMMANDS, verb) ? [COMMANDS[verb]] : [...new Set(Object.values(COMMANDS))];
  for (const load of loaders) (await load()).register(program);
}
