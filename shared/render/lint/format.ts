/**
 * Findings as `gitwave lint` prints them: `text` for people, `json` (an array of the Finding objects)
 * for tools, `github` as GitHub Actions workflow commands, so each finding shows on the line of the
 * pull request it is about.
 */
import type { Finding } from './types.ts';

export type LintOutput = 'text' | 'json' | 'github';

/** The findings in the chosen format, ending in a newline. */
export function formatFindings(findings: readonly Finding[], output: LintOutput): string {
  if (output === 'json') return `${JSON.stringify(findings, null, 2)}\n`;
  if (output === 'github') return findings.map(githubAnnotation).join('');
  return formatText(findings);
}

/**
 * `file:line: severity [rule] Kind ns/name: message` then `  fix: …`, and a summary line.
 * @example formatText([]) // 'no findings\n'
 */
export function formatText(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'no findings\n';
  const lines = findings.map((f) => `${where(f)}: ${f.severity} [${f.rule}] ${objectOf(f)}${f.message}\n  fix: ${f.fix}\n`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${lines.join('')}${plural(errors, 'error')}, ${plural(findings.length - errors, 'warning')}\n`;
}

/** One `::error file=…,line=…,title=…::message` command (GitHub's escaping rules applied). */
export function githubAnnotation(f: Finding): string {
  const props = [`file=${escapeProperty(f.file)}`];
  if (f.line !== null) props.push(`line=${f.line}`);
  props.push(`title=${escapeProperty(`gitwave lint: ${f.rule}`)}`);
  const level = f.severity === 'error' ? 'error' : 'warning';
  return `::${level} ${props.join(',')}::${escapeData(`${objectOf(f)}${f.message}\nfix: ${f.fix}`)}\n`;
}

function where(f: Finding): string {
  return f.line === null ? f.file : `${f.file}:${f.line}`;
}

function objectOf(f: Finding): string {
  if (f.kind === null) return '';
  const name = f.name === null ? '' : ` ${f.namespace ? `${f.namespace}/` : ''}${f.name}`;
  return `${f.kind}${name}: `;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
