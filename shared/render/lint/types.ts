/**
 * The vocabulary of `gitwave lint`: a finding (what the team's manifest CI printed by hand), the
 * rules that produce findings, and their per-repository configuration.
 */
import type { KubeObject } from '../../model/object.ts';

export type Severity = 'error' | 'warning';

/** One problem, as `gitwave lint -o json` prints it. */
export interface Finding {
  /** The rule's name (`container-resources`, `schema`, `project`, `render`…). */
  rule: string;
  severity: Severity;
  /** Path relative to the lint root. */
  file: string;
  /** 1-based line, null when not known. */
  line: number | null;
  kind: string | null;
  namespace: string | null;
  name: string | null;
  /** What is wrong (lowercase, no secrets). */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** What a rule reports about one object; the linter adds where and which object. */
export interface Violation {
  message: string;
  fix: string;
}

/** A built-in policy rule. */
export interface LintRule {
  name: string;
  /** One line for `gitwave lint --help` and the docs. */
  description: string;
  defaultEnabled: boolean;
  defaultSeverity: Severity;
  /** Default parameters (documented in docs/render.md). */
  defaults: Readonly<Record<string, unknown>>;
  /** A reason when the parameters are unusable (checked when the configuration is read). */
  checkParameters?(parameters: Readonly<Record<string, unknown>>): string | undefined;
  check(object: KubeObject, parameters: Readonly<Record<string, unknown>>): Violation[];
}

/** A rule as configured for one repository. */
export interface RuleSetting {
  enabled: boolean;
  severity: Severity;
  parameters: Readonly<Record<string, unknown>>;
}

/** Settings of every rule, built-in and special (`schema`, `project`), by name. */
export type LintConfig = ReadonlyMap<string, RuleSetting>;

/** Objects opt out of rules with this annotation: a comma list of rule names. */
export const LINT_DISABLE_ANNOTATION = 'gitwave.io/lint-disable';
