/**
 * Per-repository lint configuration, `gitwave-lint.yaml` at the root of the manifest repository:
 *
 * ```yaml
 * rules:
 *   container-resources: { severity: warning, parameters: { initContainers: false } }
 *   readiness-probe: { enabled: false }
 *   required-env: { enabled: true, parameters: { names: ["^LOG_LEVEL$"], kinds: [Deployment] } }
 * ```
 *
 * Every built-in rule can be enabled, disabled, given a severity and parameters; `schema` (strict
 * schema validation) and `project` (AppProject restrictions) take `enabled` and `severity`. `render`
 * (malformed YAML, refused input) is always an error. Unknown rules, keys or bad parameters are
 * refused with the field named.
 */
import * as z from 'zod';
import { parseManifestStream } from '../yaml.ts';
import { BUILTIN_RULES } from './rules.ts';
import type { LintConfig, RuleSetting } from './types.ts';

/** Rules that are not policy checks of one object but are configured the same way. */
export const SPECIAL_RULES: Readonly<Record<string, { description: string; severity: 'error' | 'warning' }>> = {
  schema: { description: 'strict schema validation against the Kubernetes OpenAPI documents and CRDs of the render', severity: 'error' },
  project: { description: 'the AppProject allows the destination, the repository and every object (hooks included)', severity: 'error' },
};

/** A lint configuration that cannot be used; the CLI exits with 2. */
export class LintConfigError extends Error {
  override readonly name = 'LintConfigError';
}

const ruleSchema = z.strictObject({
  enabled: z.boolean().optional(),
  severity: z.enum(['error', 'warning']).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
});
const configSchema = z.strictObject({ rules: z.record(z.string(), ruleSchema).optional() });

/** Every rule with its defaults. */
export function defaultLintConfig(): Map<string, RuleSetting> {
  const config = new Map<string, RuleSetting>();
  for (const rule of BUILTIN_RULES.values()) {
    config.set(rule.name, { enabled: rule.defaultEnabled, severity: rule.defaultSeverity, parameters: rule.defaults });
  }
  for (const [name, special] of Object.entries(SPECIAL_RULES)) config.set(name, { enabled: true, severity: special.severity, parameters: {} });
  return config;
}

/**
 * The configuration in `text` (the content of `file`), over the defaults.
 * @throws LintConfigError naming the file and the field.
 */
export function parseLintConfig(text: string, file: string): LintConfig {
  const stream = parseManifestStream(text, file, 20);
  if (stream.problems.length > 0) throw new LintConfigError(`${file}:${stream.problems[0].line}: ${stream.problems[0].message}`);
  const parsed = configSchema.safeParse(stream.documents[0]?.value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new LintConfigError(`${file}: ${issue.path.join('.') || '(document)'}: ${issue.message.toLowerCase()}`);
  }
  const config = defaultLintConfig();
  for (const [name, setting] of Object.entries(parsed.data.rules ?? {})) {
    const current = config.get(name);
    if (!current) throw new LintConfigError(`${file}: rules.${name}: unknown rule (known: ${[...config.keys()].join(', ')})`);
    if (setting.parameters && !BUILTIN_RULES.has(name)) throw new LintConfigError(`${file}: rules.${name}.parameters: this rule takes no parameters`);
    const parameters = { ...current.parameters, ...setting.parameters };
    const next = { enabled: setting.enabled ?? current.enabled, severity: setting.severity ?? current.severity, parameters };
    const problem = next.enabled ? BUILTIN_RULES.get(name)?.checkParameters?.(parameters) : undefined;
    if (problem) throw new LintConfigError(`${file}: rules.${name}.parameters: ${problem}`);
    config.set(name, next);
  }
  return config;
}
