/**
 * `gitwave render [path] [--app application.yaml] [--project project.yaml] [--root <dir>]`: the manifests of a folder (or of
 * the Application's own source when no path is given: a chart repository, or its path in this
 * checkout) as a YAML stream, exactly as kustomize, helm (or the directory) produced them after the
 * Application's source options. Exit codes: 0 rendered, 1 invalid or refused input (file and line named), 2 usage.
 *
 * Also the shared steps of `gitwave plan` and `gitwave lint`, which render through the same code:
 * reading a flag's file, parsing `--app`, and rendering a folder of the working tree.
 */
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseApplication, type Application } from '../../shared/model/application.ts';
import { DEFAULT_PROJECT, parseAppProject, type AppProject } from '../../shared/model/appproject.ts';
import { kustomizeHelmPolicy } from '../../shared/model/kustomize-helm.ts';
import { ModelError } from '../../shared/model/model-error.ts';
import { buildEnvOf, Renderer, RenderError, renderSourceOf, stringifyManifests, type RenderRequest, type RenderResult } from '../../shared/render/index.ts';
import { findGitTopLevel, resolveLocalSource } from '../../shared/render/local-source.ts';
import { CliError } from '../errors.ts';

/** Files given on the command line (Applications, projects, live objects, policies) are small. */
const MAX_INPUT_BYTES = 16 * 1024 * 1024;

export function register(program: Command): void {
  program
    .command('render')
    .description('print the rendered manifests of a folder (kustomize, Helm chart or plain YAML) or of an Application\'s chart as a YAML stream')
    .addHelpText('after', exampleText('gitwave render api/orders/service/overlays/dev --app apps/orders-dev.yaml', 'gitwave render --app addons/ingress-nginx.yaml'))
    .argument('[path]', 'folder to render (default: the --app Application\'s chart, or its spec.source.path in this checkout)')
    .option('--app <file>', 'Application whose source options (kustomize, directory, helm, chart) apply')
    .option('--project <file>', 'AppProject of the Application (its gitwave.dev/kustomize-helm annotation and sourceRepos decide kustomize helmCharts)')
    .option('--root <dir>', 'no file outside this folder is read (default: the Git top level containing <path>, else the current folder)')
    .action(async (path: string | undefined, options: { app?: string; project?: string; root?: string }) => {
      const app = options.app === undefined ? undefined : loadApplication(options.app, 1);
      const project = projectFor(app, options.project);
      const result = await renderOrFail({ ...renderRequest(path, options.root, app), ...helmPolicyOf(project) });
      for (const warning of result.warnings) process.stderr.write(`gitwave: warning: ${warning}\n`);
      process.stdout.write(stringifyManifests(result.objects.map((o) => o.object)));
    });
}

/** The text of a file named on the command line; a missing or unreadable file is a usage error (2). */
export function readInputFile(file: string, flag: string): string {
  try {
    const size = statSync(file).size;
    if (size > MAX_INPUT_BYTES) throw new CliError(`${flag} ${file}: larger than ${MAX_INPUT_BYTES} bytes`, 2);
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`${flag} ${file}: cannot be read`, 2);
  }
}

/** The Application in `file`; an invalid one fails with `invalidExit` (1 for render/plan, 2 for lint). */
export function loadApplication(file: string, invalidExit: 1 | 2): Application {
  try {
    return parseApplication(readInputFile(file, '--app'), file);
  } catch (error) {
    if (error instanceof ModelError) throw new CliError(error.message, invalidExit);
    throw error;
  }
}

/**
 * The render request for `<path>` of the working tree, with the Application's source options. With
 * no path, the Application names the source: its chart repository, else its `spec.source.path`
 * inside the checkout (the Git top level of the current folder, or `--root`).
 */
export function renderRequest(pathArg: string | undefined, rootArg: string | undefined, app?: Application, revision = ''): RenderRequest {
  try {
    if (pathArg === undefined && !app) throw new CliError('give a folder to render, or --app with an Application that names its source', 2);
    const { root, path } = app?.spec.source.chart !== undefined ? { root: '', path: '.' }
      : pathArg === undefined ? { root: rootArg !== undefined ? resolve(rootArg) : (findGitTopLevel(process.cwd()) ?? process.cwd()), path: app!.spec.source.path }
        : resolveLocalSource(pathArg, rootArg, process.cwd());
    if (!app) return { root, path };
    const namespace = app.spec.destination.namespace;
    return { root, path, source: renderSourceOf(app), env: buildEnvOf(app, revision), appName: app.metadata.name, ...(namespace ? { namespace } : {}) };
  } catch (error) {
    if (error instanceof RenderError) throw new CliError(error.message, 1);
    throw error;
  }
}

/** `--project`, or the built-in `default` project when the Application uses it. */
export function projectFor(app: Application | undefined, file: string | undefined): AppProject | undefined {
  if (file === undefined) return app?.spec.project === 'default' ? DEFAULT_PROJECT : undefined;
  let project: AppProject;
  try {
    project = parseAppProject(readInputFile(file, '--project'), file);
  } catch (error) {
    if (error instanceof ModelError) throw new CliError(error.message, 1);
    throw error;
  }
  if (app && app.spec.project !== project.metadata.name) {
    throw new CliError(`--project ${file} is project "${project.metadata.name}" but the Application uses project "${app.spec.project}"`, 2);
  }
  return project;
}

/** The project's word on kustomize `helmCharts` (absent without a project: they are refused). */
export function helmPolicyOf(project: AppProject | undefined): Pick<RenderRequest, 'kustomizeHelm'> {
  return project ? { kustomizeHelm: kustomizeHelmPolicy(project) } : {};
}

/** Renders, turning a RenderError into exit code 1 with its message (file and line). */
export async function renderOrFail(request: RenderRequest): Promise<RenderResult> {
  try {
    return await new Renderer().render(request);
  } catch (error) {
    if (error instanceof RenderError) throw new CliError(error.message, 1);
    throw error;
  }
}
