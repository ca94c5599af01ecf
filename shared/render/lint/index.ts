/** shared/render/lint: the checks of `gitwave lint` (schema, policy rules, AppProject), and their output. */
export { lintObjects, renderFindings, sortFindings, type LintInput } from './lint.ts';
export { defaultLintConfig, parseLintConfig, LintConfigError, SPECIAL_RULES } from './config.ts';
export { BUILTIN_RULES, tagOf } from './rules.ts';
export { projectFindings, type ProjectContext } from './project.ts';
export { formatFindings, formatText, githubAnnotation, type LintOutput } from './format.ts';
export { SchemaValidator, type SchemaResult, type SchemaIssue } from '../validate/validator.ts';
export { crdSchemasOf, type CrdSchemas } from '../validate/crd.ts';
export * from './types.ts';
