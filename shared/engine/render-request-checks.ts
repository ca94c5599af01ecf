/**
 * The checks a render must pass before anything is planned, the same ones `gitwave lint` runs in CI
 * (shared/render/lint): strict schemas when a folder of OpenAPI documents is configured, the policy
 * rules as the repository's `gitwave-lint.yaml` sets them at that commit (the defaults when it has
 * none), and the AppProject restrictions on every object, hooks included. Error findings refuse the
 * render with each finding's file and line; warnings are only logged.
 */
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Application } from '../model/application.ts';
import type { AppProject } from '../model/appproject.ts';
import { defaultLintConfig, lintObjects, parseLintConfig, type Finding } from '../render/lint/index.ts';
import type { SchemaValidator } from '../render/validate/validator.ts';
import type { RenderDocument } from './render-store.ts';

/** The lint configuration file at the repository root. */
export const LINT_CONFIG_FILE = 'gitwave-lint.yaml';
const MAX_LINT_CONFIG_BYTES = 64 * 1024;

/** The render failed its checks; `findings` are the errors, each naming file and line. */
export class RenderRefusedError extends Error {
  override readonly name = 'RenderRefusedError';
  constructor(readonly findings: readonly Finding[]) {
    super(findings.map(describeFinding).join('\n'));
  }
}

/** `file:line: message (rule)`. */
export function describeFinding(finding: Finding): string {
  const where = finding.line === null ? finding.file : `${finding.file}:${finding.line}`;
  const object = finding.kind && finding.name ? ` ${finding.kind}/${finding.name}:` : '';
  return `${where}:${object} ${finding.message} (${finding.rule})`;
}

/** The text of `gitwave-lint.yaml` at the checkout's root, if it is a small regular file. */
export async function readLintConfig(root: string): Promise<string | undefined> {
  const path = join(root, LINT_CONFIG_FILE);
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  if (info.size > MAX_LINT_CONFIG_BYTES) throw new RenderRefusedError([configFinding(`${LINT_CONFIG_FILE} is larger than ${MAX_LINT_CONFIG_BYTES} bytes`)]);
  return readFile(path, 'utf8');
}

export interface CheckContext {
  app: Application;
  project: AppProject;
  schemas?: SchemaValidator;
}

/**
 * Runs every check; throws RenderRefusedError listing the error findings; returns the warnings.
 * @example const warnings = await checkRender(doc, { app, project, schemas });
 */
export async function checkRender(doc: RenderDocument, ctx: CheckContext): Promise<Finding[]> {
  let config;
  try {
    config = doc.lintConfig === undefined ? defaultLintConfig() : parseLintConfig(doc.lintConfig, LINT_CONFIG_FILE);
  } catch (error) {
    throw new RenderRefusedError([configFinding((error as Error).message)]);
  }
  const { destination } = ctx.app.spec;
  const findings = await lintObjects({
    objects: doc.objects,
    config,
    ...(ctx.schemas ? { schemas: ctx.schemas } : {}),
    project: { project: ctx.project, destination, repoURL: doc.repoURL, appFile: `Application/${ctx.app.metadata.name}` },
    ...(destination.namespace ? { defaultNamespace: destination.namespace } : {}),
  });
  const errors = findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new RenderRefusedError(errors);
  return findings;
}

function configFinding(message: string): Finding {
  return { rule: 'render', severity: 'error', file: LINT_CONFIG_FILE, line: null, kind: null, namespace: null, name: null, message, fix: 'correct the lint configuration' };
}
