/**
 * A fresh, unpredictable scratch folder per render (GHSA-6jqw-jwf5-rp8h: a warm Lambda must not let
 * one app see another's files), removed afterwards even when the render fails.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Runs `work` with a new private folder and removes the folder when it settles.
 * @example await withScratch(undefined, async (dir) => writeFile(join(dir, 'x'), 'y'))
 */
export async function withScratch<T>(parent: string | undefined, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(parent ?? tmpdir(), 'gitwave-render-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
  }
}

/** Writes root-relative files under `dir` (owner-only permissions). */
export async function writeTree(dir: string, files: ReadonlyMap<string, Buffer | string>): Promise<void> {
  const made = new Set<string>();
  for (const [rel, bytes] of files) {
    const target = join(dir, rel);
    const parent = dirname(target);
    if (!made.has(parent)) {
      await mkdir(parent, { recursive: true, mode: 0o700 });
      made.add(parent);
    }
    await writeFile(target, bytes, { mode: 0o600 });
  }
}
