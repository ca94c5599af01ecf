/**
 * The options every command that talks to the gitwave API takes, and the client they make:
 * `-o text|wide|json|yaml`, `--endpoint <url>` (default: `GITWAVE_ENDPOINT`, else the local runtime's
 * `local.json`), `--sigv4` (sign even a loopback URL, e.g. a tunnel to a deployed stack) and
 * `--region`. Also `example()`, which gives every command's help an example.
 */
import type { Command } from 'commander';
import { apiClient, type ApiClient } from './api-client.ts';
import { resolveEndpoint } from './endpoint.ts';
import { outputFormat, OUTPUT_FORMATS, type OutputFormat } from './output.ts';

export interface ApiOptions {
  output: string;
  endpoint?: string;
  sigv4?: boolean;
  region?: string;
}

export function withApiOptions(cmd: Command): Command {
  return cmd
    .option('-o, --output <format>', OUTPUT_FORMATS.join(', '), 'text')
    .option('--endpoint <url>', 'the gitwave API of a deployed stack (default: $GITWAVE_ENDPOINT, else the local runtime)')
    .option('--sigv4', 'sign requests with SigV4 even on a loopback URL (a tunnel to a deployed stack)')
    .option('--region <region>', 'AWS region for SigV4 (default: from the execute-api host name, else $AWS_REGION)');
}

/** The output format (a usage error when unknown) and the API client of a command's options. */
export function apiOf(opts: ApiOptions): { format: OutputFormat; api: ApiClient } {
  const format = outputFormat(opts.output);
  return { format, api: apiClient(resolveEndpoint(opts.endpoint), { sign: opts.sigv4, region: opts.region }) };
}

/** Adds `Example:` lines after the command's help (a test checks every command has one). */
export function example(cmd: Command, ...lines: string[]): Command {
  return cmd.addHelpText('after', exampleText(...lines));
}

/** The `Example:` block of a command's help. */
export function exampleText(...lines: string[]): string {
  return `\nExample${lines.length > 1 ? 's' : ''}:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/** A path segment for a name. */
export const seg = (name: string) => encodeURIComponent(name);
