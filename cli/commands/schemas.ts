/**
 * `gitwave schemas pull`: the Kubernetes OpenAPI v3 documents a cluster serves (`/openapi/v3` and one
 * document per group-version, custom resources included), written gzipped in the layout `gitwave lint
 * --schemas`, the render λ (`GITWAVE_SCHEMAS`) and the simulator read: `api/v1.json.gz`,
 * `apis/<group>/<version>.json.gz`. The documents are the cluster's own, never hand-written (issue 4).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { exampleText } from '../api-options.ts';
import type { Command } from 'commander';
import { isRecord } from '../../shared/model/object.ts';
import { KubeTransport } from '../../shared/kube/transport.ts';
import { CliError } from '../errors.ts';

interface PullFlags {
  kubeconfig?: string;
  context?: string;
  out: string;
}

export interface PullResult {
  /** Where each document went, relative to the output folder (`apis/apps/v1.json.gz`). */
  written: string[];
  /** Index entries that name no group-version, or a name that is not one (left out). */
  skipped: string[];
  /** The cluster's `gitVersion`, when it says. */
  version?: string;
}

/** `api/<version>` or `apis/<group>/<version>` with names Kubernetes allows (no `..`, no slashes). */
const GROUP_VERSION = /^(?:api|apis\/[a-z0-9](?:[-a-z0-9.]*[a-z0-9])?)\/[a-z][-a-z0-9]*$/;

export function register(program: Command): void {
  const schemas = program.command('schemas').description('Kubernetes OpenAPI documents for strict schema validation')
    .addHelpText('after', exampleText('gitwave schemas pull --kubeconfig ~/.kube/config --out ~/.gitwave/schemas/prod'));
  schemas
    .command('pull')
    .description('read the OpenAPI v3 documents a cluster serves into a folder for `gitwave lint --schemas` and GITWAVE_SCHEMAS')
    .addHelpText('after', exampleText('gitwave schemas pull --kubeconfig ~/.kube/config --context prod --out ~/.gitwave/schemas/prod'))
    .option('--kubeconfig <file>', 'kubeconfig of the cluster (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current one)')
    .requiredOption('--out <dir>', 'folder to write api/v1.json.gz and apis/<group>/<version>.json.gz into')
    .action(async (flags: PullFlags) => {
      const result = await pullSchemas(flags);
      const version = result.version ? ` (Kubernetes ${result.version})` : '';
      process.stdout.write(`wrote ${result.written.length} OpenAPI v3 documents${version} to ${flags.out}\n`);
      for (const entry of result.skipped) process.stderr.write(`gitwave: skipped /openapi/v3 entry ${JSON.stringify(entry)}: not a group-version\n`);
    });
}

/**
 * Reads every group-version document the cluster lists and writes it under `out`.
 * @example await pullSchemas({ kubeconfig: 'kubeconfig', out: 'schemas' }) // { written: ['api/v1.json.gz', …], skipped: [] }
 */
export async function pullSchemas(flags: PullFlags): Promise<PullResult> {
  const transport = new KubeTransport(kubeConfigOf(flags), { timeoutMs: 60_000 });
  try {
    const index = await getJson(transport, '/openapi/v3', 'the OpenAPI v3 index');
    const paths = isRecord(index.paths) ? index.paths : {};
    const wanted = Object.keys(paths).filter((p) => GROUP_VERSION.test(p)).sort();
    if (wanted.length === 0) throw new CliError(`${transport.server}: the OpenAPI v3 index lists no group-version (does the cluster serve /openapi/v3? Kubernetes 1.27+ does)`);
    const written: string[] = [];
    for (const path of wanted) written.push(await pullDocument(transport, path, paths[path], flags.out));
    const skipped = Object.keys(paths).filter((p) => !GROUP_VERSION.test(p) && /^apis?\//.test(p));
    const version = await getJson(transport, '/version', 'the version').then((v) => (typeof v.gitVersion === 'string' ? v.gitVersion : undefined), () => undefined);
    return { written, skipped, ...(version ? { version } : {}) };
  } finally {
    await transport.close();
  }
}

function kubeConfigOf(flags: PullFlags): KubeConfig {
  const kc = new KubeConfig();
  try {
    if (flags.kubeconfig) kc.loadFromFile(flags.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new CliError(`failed to read kubeconfig ${flags.kubeconfig ?? '(default)'}: ${(error as Error).message}`);
  }
  if (flags.context) {
    if (!kc.getContextObject(flags.context)) throw new CliError(`kubeconfig ${flags.kubeconfig ?? '(default)'}: no context ${JSON.stringify(flags.context)}`);
    kc.setCurrentContext(flags.context);
  }
  if (!kc.getCurrentCluster()) throw new CliError(`kubeconfig ${flags.kubeconfig ?? '(default)'}: no current cluster`);
  return kc;
}

/** One document, fetched by its hash-stamped URL when the index gives one, written gzipped (atomically). */
async function pullDocument(transport: KubeTransport, path: string, entry: unknown, out: string): Promise<string> {
  const relative = isRecord(entry) && typeof entry.serverRelativeURL === 'string' ? entry.serverRelativeURL : `/openapi/v3/${path}`;
  const url = new URL(relative, 'http://cluster');
  if (url.pathname !== `/openapi/v3/${path}`) throw new CliError(`/openapi/v3 entry ${path}: points at ${url.pathname}, not /openapi/v3/${path}`);
  const doc = await getJson(transport, url.pathname, `/openapi/v3/${path}`, Object.fromEntries(url.searchParams));
  if (!isRecord(doc.components) || !isRecord(doc.components.schemas)) throw new CliError(`/openapi/v3/${path}: not an OpenAPI v3 document (no components.schemas)`);
  const file = join(out, `${path}.json.gz`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, gzipSync(JSON.stringify(doc)));
  await rename(`${file}.tmp`, file);
  return `${path}.json.gz`;
}

async function getJson(transport: KubeTransport, path: string, what: string, query?: Record<string, string>): Promise<Record<string, unknown>> {
  const res = await transport.request({ method: 'GET', path, ...(query ? { query } : {}), what: `read ${what}` })
    .catch((error: Error) => { throw new CliError(`failed to read ${what} from ${transport.server}: ${error.message}`); });
  if (res.status !== 200) {
    const reason = isRecord(res.body) && typeof res.body.message === 'string' ? `: ${res.body.message}` : '';
    throw new CliError(`failed to read ${what} from ${transport.server}: HTTP ${res.status}${reason}`);
  }
  if (!isRecord(res.body)) throw new CliError(`failed to read ${what} from ${transport.server}: the answer is not a JSON object`);
  return res.body;
}
