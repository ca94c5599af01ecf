/**
 * A chart from an HTTP(S) chart repository, as `helm pull` would get it but under gitwave's rules:
 * read `index.yaml`, take the entry whose version is exactly `targetRevision`, download its archive,
 * check it against the index's digest, and unpack it with shared/source's safe-tree rules (no `..`,
 * no absolute paths, no symlink leaving the chart, no device, capped entries and bytes). Only https
 * is fetched, or plain http on a loopback address (local use and tests); OCI registries are refused.
 * Both downloads are capped in bytes and time. A refusal is a RenderError naming the Application
 * field at fault; a transport failure stays a (retryable) SourceFetchError.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { parse } from 'yaml';
import { chartRepoProblem, isLoopbackHost } from '../model/chart-repo.ts';
import { isRecord } from '../model/object.ts';
import { SourceError, SourceRefusedError } from '../source/errors.ts';
import { describeUrl, httpRequest, readBody } from '../source/http.ts';
import { SafeTree } from '../source/safe-tree.ts';
import { extractTar } from '../source/tar-extract.ts';
import { renderError, RenderError } from './errors.ts';
import type { ChartRepositorySource, RenderLimits } from './types.ts';

const REPO_FIELD = 'spec.source.repoURL';

/**
 * Downloads and unpacks the chart into `dir` (an empty folder): afterwards `dir` is the chart folder.
 * @example await fetchChart({ repoURL: 'https://charts.example', chart: 'agent', version: '1.2.0' }, dir, limits)
 */
export async function fetchChart(source: ChartRepositorySource, dir: string, limits: RenderLimits): Promise<void> {
  const problem = chartRepoProblem(source.repoURL);
  if (problem) throw renderError(REPO_FIELD, problem);
  const signal = AbortSignal.timeout(limits.timeoutMs);
  const base = source.repoURL.endsWith('/') ? source.repoURL : `${source.repoURL}/`;
  const index = parseIndex(await download(new URL('index.yaml', base), signal, limits), limits);
  const entry = chartEntry(index, source);
  const archiveURL = new URL(entry.url, base);
  const archiveProblem = chartRepoProblem(archiveURL.href);
  if (archiveProblem) throw renderError(REPO_FIELD, `chart archive ${describeUrl(archiveURL)}: ${archiveProblem}`);
  const archive = await download(archiveURL, signal, limits);
  if (entry.digest !== undefined) {
    const actual = createHash('sha256').update(archive).digest('hex');
    if (actual !== entry.digest.toLowerCase()) {
      throw renderError('spec.source.chart', `chart ${source.chart} ${source.version}: the archive's sha256 does not match index.yaml's digest: refused`);
    }
  }
  await unpack(archive, dir, limits, source);
}

async function download(url: URL, signal: AbortSignal, limits: RenderLimits): Promise<Buffer> {
  const where = describeUrl(url);
  try {
    const response = await httpRequest(url.href, { signal, maxBytes: limits.maxChartBytes, allowHttp: isLoopbackHost(url.hostname) });
    if (response.status !== 200) {
      await readBody(response).catch(() => undefined);
      throw renderError(REPO_FIELD, `${where} answered HTTP ${response.status}`);
    }
    return await readBody(response);
  } catch (error) {
    if (signal.aborted) throw renderError(REPO_FIELD, `${where}: no answer within ${limits.timeoutMs} ms`);
    if (error instanceof SourceRefusedError) throw renderError(REPO_FIELD, error.message);
    throw error;
  }
}

interface IndexEntry {
  url: string;
  digest?: string;
}

function parseIndex(bytes: Buffer, limits: RenderLimits): Record<string, unknown> {
  let index: unknown;
  try {
    index = parse(bytes.toString('utf8'), { maxAliasCount: limits.maxAliasCount });
  } catch {
    throw renderError(REPO_FIELD, 'the chart repository\'s index.yaml is not valid YAML');
  }
  if (!isRecord(index) || !isRecord(index.entries)) throw renderError(REPO_FIELD, 'the chart repository\'s index.yaml has no entries');
  return index.entries;
}

function chartEntry(entries: Record<string, unknown>, source: ChartRepositorySource): IndexEntry {
  const versions = entries[source.chart];
  if (!Array.isArray(versions)) throw renderError('spec.source.chart', `chart "${source.chart}" is not in the repository's index.yaml`);
  const match = versions.find((v) => isRecord(v) && v.version === source.version);
  if (!isRecord(match)) {
    const known = versions.flatMap((v) => (isRecord(v) && typeof v.version === 'string' ? [v.version] : [])).slice(0, 10);
    throw renderError('spec.source.targetRevision', `chart "${source.chart}" has no version "${source.version}" (the exact chart version is needed; index.yaml lists ${known.join(', ') || 'none'})`);
  }
  const url = Array.isArray(match.urls) ? match.urls.find((u): u is string => typeof u === 'string') : undefined;
  if (url === undefined) throw renderError('spec.source.chart', `chart "${source.chart}" ${source.version} has no download URL in index.yaml`);
  const digest = typeof match.digest === 'string' && /^[0-9a-f]{64}$/i.test(match.digest) ? match.digest : undefined;
  return { url, ...(digest ? { digest } : {}) };
}

async function unpack(archive: Buffer, dir: string, limits: RenderLimits, source: ChartRepositorySource): Promise<void> {
  const sourceLimits = {
    maxDownloadBytes: limits.maxChartBytes,
    maxBytes: limits.maxTotalBytes,
    maxFiles: Math.min(limits.maxFiles, 5_000),
    maxFileBytes: limits.maxFileBytes,
    maxDepth: limits.maxDepth,
    timeoutMs: limits.timeoutMs,
  };
  try {
    await extractTar(Readable.from([archive]), new SafeTree(dir, sourceLimits), { gzip: true, stripTopDirectory: true, limits: sourceLimits });
  } catch (error) {
    if (error instanceof SourceError || error instanceof RenderError) {
      throw renderError('spec.source.chart', `chart ${source.chart} ${source.version}: ${error.message.replace(/^refused (checkout|archive): /, 'refused archive: ')}`);
    }
    throw error;
  }
}
