/**
 * `gitwave plan <path> [--app] [--project] [--root] [--revision <sha>] [--started-at <unix-seconds>]
 * [--live <yaml-file>] [-o text|json]`: renders the folder (the same code as `gitwave render`) and
 * prints the sync plan against the live objects of `--live` (default: an empty cluster). `--app`
 * supplies the app name, destination namespace, sync options and source options; without it the app
 * is named after the folder and deploys to namespace `default`. Exit codes: 0 a plan was made,
 * 1 invalid input (file, object and field named), 2 usage.
 */
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { basename } from 'node:path';
import { appInstanceOf, type Application } from '../../shared/model/application.ts';
import type { AppProject } from '../../shared/model/appproject.ts';
import { scopeOf } from '../../shared/model/kinds.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { checkDestination, checkResourcePermitted, checkSourceRepo } from '../../shared/model/project-policy.ts';
import { parseManifestStream, RenderError } from '../../shared/render/index.ts';
import { collectObjects } from '../../shared/render/objects.ts';
import { formatPlanText, planSync, toPlanSteps, type PlanSettings, type SyncPlan, type SyncTask } from '../../shared/sync/index.ts';
import { CliError } from '../errors.ts';
import { helmPolicyOf, loadApplication, projectFor, readInputFile, renderOrFail, renderRequest } from './render.ts';

interface PlanOptions { app?: string; project?: string; root?: string; revision: string; startedAt?: string; live?: string; output: string }

export function register(program: Command): void {
  program
    .command('plan')
    .description('print the sync plan of a folder: phases, waves, hooks and prunes, in execution order')
    .addHelpText('after', exampleText('gitwave plan api/orders/service/overlays/dev --app apps/orders-dev.yaml -o json'))
    .argument('[path]', 'folder to render and plan (default: the --app Application\'s source)')
    .option('--app <file>', 'Application: name, destination namespace, sync options and source options')
    .option('--project <file>', 'AppProject whose restrictions apply')
    .option('--root <dir>', 'no file outside this folder is read (default: the Git top level containing <path>)')
    .option('--revision <sha>', 'commit that generateName hooks are named after', '0000000')
    .option('--started-at <unix-seconds>', 'operation start that generateName hooks are named after (default: now)')
    .option('--live <yaml-file>', 'live objects of the cluster (default: an empty cluster)')
    .option('-o, --output <format>', 'text or json', 'text')
    .action(async (path: string | undefined, options: PlanOptions) => {
      const settingsInput = parseFlags(options);
      const app = options.app === undefined ? undefined : loadApplication(options.app, 1);
      const project = projectFor(app, options.project);
      if (app && project) checkAppAgainstProject(app, project);
      const live = options.live === undefined ? [] : loadLive(options.live);
      const { objects } = await renderOrFail({ ...renderRequest(path, options.root, app, settingsInput.revision), ...helmPolicyOf(project) });
      const desired = objects.map((o) => o.object);
      const plan = planSync({
        desired, live, settings: planSettings(app, path ?? '.', settingsInput),
        checkProject: project ? (task) => checkTask(project, task, desired, app) : undefined,
      });
      printPlan(plan, app?.metadata.name ?? basename(path ?? '.'), settingsInput.revision, options.output);
    });
}

function parseFlags(options: PlanOptions): { revision: string; startedAt: number } {
  if (options.output !== 'text' && options.output !== 'json') throw new CliError(`-o ${options.output}: use text or json`, 2);
  if (!/^[0-9a-f]{7,40}$/i.test(options.revision)) throw new CliError(`--revision ${options.revision}: expected a commit SHA (7 to 40 hex digits)`, 2);
  const startedAt = options.startedAt === undefined ? Math.floor(Date.now() / 1000) : Number(options.startedAt);
  if (!Number.isSafeInteger(startedAt) || startedAt < 0) throw new CliError(`--started-at ${options.startedAt}: expected unix seconds`, 2);
  return { revision: options.revision.toLowerCase(), startedAt };
}

function planSettings(app: Application | undefined, path: string, flags: { revision: string; startedAt: number }): PlanSettings {
  if (!app) return { appInstance: basename(path), destinationNamespace: 'default', prune: false, ...flags };
  const policy = app.spec.syncPolicy;
  return {
    appInstance: appInstanceOf(app),
    destinationNamespace: app.spec.destination.namespace ?? '',
    syncOptions: policy.syncOptions,
    prune: policy.automated?.enabled === true && policy.automated.prune,
    managedNamespaceMetadata: policy.managedNamespaceMetadata,
    ...flags,
  };
}

function checkAppAgainstProject(app: Application, project: AppProject): void {
  const problem = checkSourceRepo(project, app.spec.source.repoURL) ?? checkDestination(project, app.spec.destination);
  if (problem) throw new CliError(`Application/${app.metadata.name}: ${problem}`, 1);
}

/** The project check the planner runs on every task, hooks included. */
function checkTask(project: AppProject, task: SyncTask, desired: readonly KubeObject[], app: Application | undefined): string | undefined {
  const scope = scopeOf(task.key.group, task.key.kind, desired) ?? 'Namespaced';
  const destination = app ? { server: app.spec.destination.server, name: app.spec.destination.name } : undefined;
  return checkResourcePermitted(project, { ...task.key, scope, destination });
}

function loadLive(file: string): KubeObject[] {
  const stream = parseManifestStream(readInputFile(file, '--live'), file, 100);
  try {
    if (stream.problems.length > 0) throw new RenderError(stream.problems);
    const values = stream.documents.map((d) => ({ value: d.value, source: { file, document: d.index, line: d.line } }));
    return collectObjects(values).map((o) => o.object);
  } catch (error) {
    if (error instanceof RenderError) throw new CliError(`--live: ${error.message}`, 1);
    throw error;
  }
}

function printPlan(plan: SyncPlan, app: string, revision: string, output: string): void {
  const errors = [...(plan.sharedResourceError ? [plan.sharedResourceError] : []), ...plan.errors.map((e) => e.message)];
  if (output === 'json') {
    const json = { app, revision, steps: toPlanSteps(plan), warnings: plan.warnings.map((w) => w.message), errors };
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  } else {
    process.stdout.write(formatPlanText(plan));
  }
  if (errors.length > 0) throw new CliError(`the plan is invalid: ${errors.join('; ')}`, 1);
}
