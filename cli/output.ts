/**
 * How every API command prints: `-o text` (a table or a view for people, the default), `-o wide`
 * (the same with more columns), `-o json` (exactly what the API answered) and `-o yaml` (the same
 * as YAML). Colour only when stdout is a terminal and NO_COLOR is not set (https://no-color.org).
 */
import { stringify } from 'yaml';
import { CliError } from './errors.ts';

export const OUTPUT_FORMATS = ['text', 'wide', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The `-o` value, or a usage error (exit 2) naming the choices. */
export function outputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw new CliError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}, got ${value}`, 2);
}

/** Whether data (json, yaml) rather than text is asked for. */
export function isData(format: OutputFormat): boolean {
  return format === 'json' || format === 'yaml';
}

/** `data` as JSON or YAML, or `text(wide)` for people. */
export function formatResult(format: OutputFormat, data: unknown, text: (wide: boolean) => string): string {
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  if (format === 'yaml') return stringify(data, { lineWidth: 0 });
  return `${text(format === 'wide')}\n`;
}

export function printResult(format: OutputFormat, data: unknown, text: (wide: boolean) => string): void {
  process.stdout.write(formatResult(format, data, text));
}

/** Colour is for terminals only, and never when NO_COLOR is set to anything but "". */
export function colourEnabled(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}

const CODES = { green: 32, yellow: 33, red: 31, grey: 90, bold: 1 } as const;
export type Colour = keyof typeof CODES;

const STATUS_COLOURS: Record<string, Colour> = {
  Synced: 'green', Healthy: 'green', Succeeded: 'green', Done: 'green', Pruned: 'green',
  OutOfSync: 'yellow', Progressing: 'yellow', Running: 'yellow', Pending: 'grey', Suspended: 'grey', Skipped: 'grey', Unknown: 'grey',
  Degraded: 'red', Missing: 'red', Failed: 'red', SyncFailed: 'red', Error: 'red', Aborted: 'red',
};

/** A painter: `paint('Synced')` colours a status word by its meaning, `paint(text, 'bold')` as asked; plain when colour is off. */
export function painter(enabled = colourEnabled()): (text: string, colour?: Colour) => string {
  return (text, colour) => {
    const chosen = colour ?? STATUS_COLOURS[text];
    return enabled && chosen ? `\u001b[${CODES[chosen]}m${text}\u001b[0m` : text;
  };
}
