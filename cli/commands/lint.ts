/**
 * `gitwave lint <path> [--app] [--project] [--root] [--schemas <dir>] [--policy <file>] [-o text|json|github]`:
 * the checks a manifest repository's CI runs. The folder is rendered (malformed YAML and refused input
 * become findings), then strictly validated against the Kubernetes schemas (`--schemas`, else the
 * GITWAVE_SCHEMAS environment variable; without either, strict validation is off and lint says so),
 * checked by the policy rules (`--policy`, else `gitwave-lint.yaml` at the root when present) and
 * by the AppProject restrictions. Exit codes: 0 no error finding, 1 error findings, 2 usage or
 * unreadable input.
 */
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Application } from '../../shared/model/application.ts';
import { DEFAULT_PROJECT, parseAppProject, type AppProject } from '../../shared/model/appproject.ts';
import { ModelError } from '../../shared/model/model-error.ts';
import { Renderer, RenderError, type RenderRequest } from '../../shared/render/index.ts';
import {
  defaultLintConfig, formatFindings, lintObjects, LintConfigError, parseLintConfig, renderFindings, SchemaValidator,
  type Finding, type LintConfig, type LintOutput, type ProjectContext,
} from '../../shared/render/lint/index.ts';
import { CliError } from '../errors.ts';
import { helmPolicyOf, loadApplication, readInputFile, renderRequest } from './render.ts';

interface LintOptions { app?: string; project?: string; root?: string; schemas?: string; policy?: string; output: string }

const OUTPUTS: readonly LintOutput[] = ['text', 'json', 'github'];

export function register(program: Command): void {
  program
    .command('lint')
    .description('check a folder of manifests: render, strict schemas, policy rules and AppProject restrictions')
    .addHelpText('after', exampleText('gitwave lint api/orders/service/overlays/dev --schemas ../shared/k8s-openapi/v1.32 -o github'))
    .argument('[path]', 'folder to lint (default: the --app Application\'s source)')
    .option('--app <file>', 'Application: destination, source options and project')
    .option('--project <file>', 'AppProject whose restrictions apply')
    .option('--root <dir>', 'no file outside this folder is read (default: the Git top level containing <path>)')
    .option('--schemas <dir>', 'Kubernetes OpenAPI v3 documents (default: $GITWAVE_SCHEMAS)')
    .option('--policy <file>', 'lint configuration (default: gitwave-lint.yaml at the root when present)')
    .option('-o, --output <format>', 'text, json or github', 'text')
    .action(async (path: string | undefined, options: LintOptions) => {
      const output = OUTPUTS.find((o) => o === options.output);
      if (!output) throw new CliError(`-o ${options.output}: use one of ${OUTPUTS.join(', ')}`, 2);
      const app = options.app === undefined ? undefined : loadApplication(options.app, 2);
      const project = projectContext(app, options);
      const request = { ...usageOnFailure(() => renderRequest(path, options.root, app)), ...helmPolicyOf(project?.project) };
      if (!existsSync(join(request.root, request.path))) throw new CliError(`${path}: no such folder`, 2);
      const findings = await lintFolder(request, {
        config: loadPolicy(options.policy, request.root),
        schemas: await openSchemas(options.schemas ?? process.env.GITWAVE_SCHEMAS),
        project,
        defaultNamespace: app?.spec.destination.namespace,
      });
      process.stdout.write(formatFindings(findings, output));
      if (findings.some((f) => f.severity === 'error')) process.exitCode = 1;
    });
}

async function lintFolder(request: RenderRequest, checks: { config: LintConfig; schemas?: SchemaValidator; project?: ProjectContext; defaultNamespace?: string }): Promise<Finding[]> {
  try {
    const result = await new Renderer().render(request);
    for (const warning of result.warnings) process.stderr.write(`gitwave: warning: ${warning}\n`);
    return await lintObjects({ objects: result.objects, ...checks });
  } catch (error) {
    if (error instanceof RenderError) return renderFindings(error);
    throw error;
  }
}

function loadPolicy(file: string | undefined, root: string): LintConfig {
  const path = file ?? join(root, 'gitwave-lint.yaml');
  if (file === undefined && !existsSync(path)) return defaultLintConfig();
  try {
    return parseLintConfig(readInputFile(path, '--policy'), file ?? 'gitwave-lint.yaml');
  } catch (error) {
    if (error instanceof LintConfigError) throw new CliError(error.message, 2);
    throw error;
  }
}

async function openSchemas(dir: string | undefined): Promise<SchemaValidator | undefined> {
  if (!dir) {
    process.stderr.write('gitwave: strict schema validation is off (no --schemas and no GITWAVE_SCHEMAS)\n');
    return undefined;
  }
  try {
    return await SchemaValidator.open(dir);
  } catch (error) {
    throw new CliError(`--schemas: ${(error as Error).message}`, 2);
  }
}

/** The project check: `--project` (which must be the Application's project), or `default` for an app in it. */
function projectContext(app: Application | undefined, options: LintOptions): ProjectContext | undefined {
  const project = options.project === undefined ? undefined : loadProject(options.project);
  if (app && project && app.spec.project !== project.metadata.name) {
    throw new CliError(`--project ${options.project} is project "${project.metadata.name}" but the Application uses project "${app.spec.project}"`, 2);
  }
  const chosen = project ?? (app?.spec.project === 'default' ? DEFAULT_PROJECT : undefined);
  if (!chosen) {
    if (app) process.stderr.write(`gitwave: project "${app.spec.project}" not given (--project): its restrictions are not checked\n`);
    return undefined;
  }
  if (!app) return { project: chosen };
  return { project: chosen, destination: app.spec.destination, repoURL: app.spec.source.repoURL, appFile: options.app };
}

function loadProject(file: string): AppProject {
  try {
    return parseAppProject(readInputFile(file, '--project'), file);
  } catch (error) {
    if (error instanceof ModelError) throw new CliError(error.message, 2);
    throw error;
  }
}

function usageOnFailure<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof CliError) throw new CliError(error.message, 2);
    throw error;
  }
}
