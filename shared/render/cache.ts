/**
 * Render caching: the same repository, commit, path and options always render the same objects, so
 * a render is done once and then read back. The key is a SHA-256 over a canonical JSON of those
 * inputs (plus the kustomize version and gitwave's render format), usable as a file name or an S3
 * key (`rendered/<key>.json`). Implementations: in memory (bounded, least recently used out first)
 * and a folder of JSON files; an S3 one can implement the same two methods.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildEnv, RenderResult, RenderSourceOptions } from './types.ts';

/** A store of rendered results by key. Values are JSON text so readers always get a fresh copy. */
export interface RenderCache {
  get(key: string): Promise<string | undefined>;
  put(key: string, value: string): Promise<void>;
}

/** Bump when the stored shape of a RenderResult changes. */
export const RENDER_FORMAT = 1;

export interface CacheKeyInput {
  repo: string;
  commit: string;
  path: string;
  source?: RenderSourceOptions;
  env?: BuildEnv;
  /** What else the render read (Helm: release name, namespace, cluster capabilities). */
  context?: unknown;
  /** The kustomize (or helm) that rendered it (a new version may render differently). */
  tool: string;
}

/**
 * The cache key of a render: 64 hex characters.
 * @example renderCacheKey({ repo: 'github.com/org/repo', commit: 'abc…', path: 'api/overlays/dev', tool: 'v5.5.0' }).length // 64
 */
export function renderCacheKey(input: CacheKeyInput): string {
  const canonical = canonicalJson({ format: RENDER_FORMAT, ...input, path: input.path.replace(/^\.\/|\/$/g, '') || '.' });
  return createHash('sha256').update(canonical).digest('hex');
}

/** JSON with object keys sorted at every level, so equal inputs give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
}

/** A bounded in-memory cache (least recently used entries leave first). */
export class MemoryRenderCache implements RenderCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 1000) {}

  async get(key: string): Promise<string | undefined> {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  async put(key: string, value: string): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, value);
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

/** A folder of `<key>.json` files; writes are atomic (write then rename). */
export class DirectoryRenderCache implements RenderCache {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<string | undefined> {
    assertKey(key);
    try {
      return await readFile(join(this.dir, `${key}.json`), 'utf8');
    } catch {
      return undefined;
    }
  }

  async put(key: string, value: string): Promise<void> {
    assertKey(key);
    await mkdir(this.dir, { recursive: true });
    const temp = join(this.dir, `.${key}.${process.pid}.${Date.now()}.tmp`);
    await writeFile(temp, value);
    await rename(temp, join(this.dir, `${key}.json`));
  }
}

function assertKey(key: string): void {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('render cache keys are 64 hex characters');
}

/** A RenderResult as stored, and back. */
export const encodeResult = (result: RenderResult): string => JSON.stringify(result);
export const decodeResult = (text: string): RenderResult => JSON.parse(text) as RenderResult;
