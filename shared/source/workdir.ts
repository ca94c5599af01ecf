/**
 * Fresh private directories for checkouts, and their removal. Each request gets a new random
 * directory (mkdtemp, mode 0700), so two Applications rendered by one warm Lambda never share a
 * path (GHSA-6jqw-jwf5-rp8h); it is removed afterwards even when the work failed, and removal first
 * makes every directory writable so a mode-000 entry cannot keep files behind (GHSA-g687-f2gx-6wm8).
 */
import { chmod, lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Checkout, SourceCallOptions, SourceReader } from './types.ts';

/** Prefix of every directory this module makes, so leftovers are easy to spot. */
export const WORKDIR_PREFIX = 'gitwave-source-';

/** A new empty directory `<workRoot>/gitwave-source-XXXXXX`, readable only by this user. */
export async function makeWorkDir(workRoot: string = tmpdir()): Promise<string> {
  return mkdtemp(join(workRoot, WORKDIR_PREFIX));
}

/** Removes `dir` and everything under it, whatever the modes inside; missing is fine. */
export async function removeWorkDir(dir: string): Promise<void> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
  } catch {
    await makeWritable(dir);
    await rm(dir, { recursive: true, force: true, maxRetries: 2 });
  }
}

/** Gives the owner rwx on every directory under `dir` (symlinks are not followed). */
async function makeWritable(dir: string): Promise<void> {
  const info = await lstat(dir).catch(() => undefined);
  if (!info?.isDirectory()) return;
  await chmod(dir, 0o700);
  for (const name of await readdir(dir)) await makeWritable(join(dir, name));
}

/** A `Checkout` whose `dispose()` removes `root` (the work directory holding `dir`) once. */
export function makeCheckout(root: string, dir: string, sha: string): Checkout {
  let disposed: Promise<void> | undefined;
  return {
    dir,
    sha,
    dispose: () => (disposed ??= removeWorkDir(root)),
  };
}

/**
 * Runs `fn` over a fresh work directory; the directory is removed when `fn` throws. On success the
 * caller owns the directory (through the `Checkout` it returns).
 */
export async function inWorkDir<T>(workRoot: string | undefined, fn: (root: string) => Promise<T>): Promise<T> {
  const root = await makeWorkDir(workRoot);
  try {
    return await fn(root);
  } catch (error) {
    await removeWorkDir(root);
    throw error;
  }
}

/**
 * Checks out `sha`, runs `fn` on it, and removes the checkout afterwards, whether `fn` succeeded
 * or not.
 * @example
 * const objects = await withCheckout(reader, app.repoURL, sha, (c) => render(c.dir, app.path));
 */
export async function withCheckout<T>(
  reader: SourceReader,
  repoURL: string,
  sha: string,
  fn: (checkout: Checkout) => Promise<T>,
  options?: SourceCallOptions,
): Promise<T> {
  const checkout = await reader.checkout(repoURL, sha, options);
  try {
    return await fn(checkout);
  } finally {
    await checkout.dispose();
  }
}
