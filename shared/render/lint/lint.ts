/**
 * Linting a render: every object through strict schema validation, the enabled policy rules and the
 * AppProject check; a render that failed becomes findings of rule `render` (malformed YAML, a refused
 * path…), each with its file and line. An object can opt out of rules with the annotation
 * `gitwave.io/lint-disable: rule-a,rule-b`.
 */
import { crdKinds, scopeOf } from '../../model/kinds.ts';
import { groupOf, type KubeObject } from '../../model/object.ts';
import type { RenderError } from '../errors.ts';
import type { RenderedObject } from '../types.ts';
import { crdSchemasOf } from '../validate/crd.ts';
import type { SchemaValidator } from '../validate/validator.ts';
import { defaultLintConfig } from './config.ts';
import { projectFindings, type ProjectContext } from './project.ts';
import { BUILTIN_RULES } from './rules.ts';
import { LINT_DISABLE_ANNOTATION, type Finding, type LintConfig, type RuleSetting } from './types.ts';

export interface LintInput {
  objects: readonly RenderedObject[];
  /** Rule settings (default: every rule with its defaults). */
  config?: LintConfig;
  /** Strict schema validation; absent = off. */
  schemas?: SchemaValidator;
  /** The AppProject check; absent = no project restrictions. */
  project?: ProjectContext;
  /** Destination namespace, reported for namespaced objects that name none. */
  defaultNamespace?: string;
}

/**
 * Every finding for the rendered objects, sorted by file and line.
 * @example (await lintObjects({ objects })).filter((f) => f.severity === 'error').length
 */
export async function lintObjects(input: LintInput): Promise<Finding[]> {
  const config = input.config ?? defaultLintConfig();
  const findings: Finding[] = [];
  const crds = crdSchemasOf(input.objects.map((o) => o.object));
  const schema = enabled(config, 'schema');
  const kinds = crdKinds(input.objects.map((o) => o.object));
  for (const rendered of input.objects) {
    const disabled = disabledRules(rendered.object);
    const { object } = rendered;
    const cluster = scopeOf(groupOf(object.apiVersion), object.kind, kinds) === 'Cluster';
    const namespace = cluster ? null : (object.metadata.namespace || input.defaultNamespace || null);
    const at = (rule: string, setting: RuleSetting, message: string, fix: string): Finding =>
      findingFor(rendered, namespace, rule, setting, message, fix);
    if (input.schemas && schema && !disabled.has('schema')) {
      const result = await input.schemas.validate(rendered.object, crds);
      for (const issue of result.issues) findings.push(at('schema', schema, `${issue.field ? `${issue.field}: ` : ''}${issue.message}`, issue.fix));
    }
    for (const rule of BUILTIN_RULES.values()) {
      const setting = enabled(config, rule.name);
      if (!setting || disabled.has(rule.name)) continue;
      for (const v of rule.check(rendered.object, setting.parameters)) findings.push(at(rule.name, setting, v.message, v.fix));
    }
  }
  const project = enabled(config, 'project');
  if (input.project && project) {
    const checked = input.objects.filter((o) => !disabledRules(o.object).has('project'));
    findings.push(...projectFindings(checked, input.project, project.severity));
  }
  return sortFindings(findings);
}

/** The findings of a failed render: one per problem, rule `render`, always an error. */
export function renderFindings(error: RenderError): Finding[] {
  return error.problems.map((p) => ({
    rule: 'render', severity: 'error', file: p.file, line: p.line ?? null, kind: null, namespace: null, name: null,
    message: p.message, fix: fixForRenderProblem(p.message),
  }));
}

function fixForRenderProblem(message: string): string {
  if (message.startsWith('malformed YAML')) return 'correct the YAML syntax at this line (indent with spaces, close quotes and brackets)';
  if (message.includes('defined twice')) return 'keep one definition of the object, or give each a distinct name or namespace';
  if (/has no (apiVersion|kind|metadata)/.test(message)) return 'give every document apiVersion, kind and metadata.name (or generateName)';
  if (message.includes('refused') || message.includes('leaves the root') || message.includes('not allowed')) return 'keep every manifest inside the repository, with no remote bases, Helm or plugins';
  return 'correct the input named here';
}

function enabled(config: LintConfig, name: string): RuleSetting | undefined {
  const setting = config.get(name);
  return setting?.enabled ? setting : undefined;
}

function disabledRules(object: KubeObject): Set<string> {
  const value = object.metadata.annotations?.[LINT_DISABLE_ANNOTATION];
  return new Set(typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : []);
}

function findingFor(rendered: RenderedObject, namespace: string | null, rule: string, setting: RuleSetting, message: string, fix: string): Finding {
  const { object, source } = rendered;
  const name = object.metadata.name ?? object.metadata.generateName ?? null;
  return { rule, severity: setting.severity, file: source.file, line: source.line, kind: object.kind, namespace, name, message, fix };
}

/** Findings in file, line, rule order (stable for equal keys). */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}
