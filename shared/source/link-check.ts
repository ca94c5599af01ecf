/**
 * Symlinks that stay inside the checkout. A committed symlink to `/proc/self/environ`, to `/var/task`
 * or to another app's directory (`../other`) would let a renderer read what is not in the commit
 * (GHSA-6gcg-hp2x-q54h, GHSA-q4w5-4gq2-98vm). A target is resolved hop by hop against what is on
 * disk, following other links in the checkout, so a chain (`a -> b/..`, `b -> .`) cannot escape where
 * a purely lexical check would pass it. Absolute targets, targets above the root, chains longer than
 * 40 hops, and links to a directory that contains the link itself (an endless tree for any walker)
 * are refused.
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { SourceRefusedError, quoteName } from './errors.ts';
import { isWithin } from './entry-path.ts';

/** Most symlinks followed while resolving one target (Linux's own limit is 40). */
export const MAX_LINK_HOPS = 40;

/**
 * The components `link` (a symlink at those components under `root`, pointing at `target`) resolves
 * to. Throws `SourceRefusedError` when the target leaves `root` or loops back onto the link.
 */
export async function resolveLinkInside(root: string, link: readonly string[], target: string): Promise<string[]> {
  const refuse = (why: string) =>
    new SourceRefusedError(`refused symlink ${quoteName(link.join('/'))} -> ${quoteName(target)}: ${why}`);
  if (target.startsWith('/')) throw refuse('absolute target');
  let resolved = link.slice(0, -1);
  const pending = target.split('/');
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (resolved.pop() === undefined) throw refuse('points outside the checkout');
      continue;
    }
    const candidate = [...resolved, part];
    const info = await lstat(join(root, ...candidate)).catch(() => undefined);
    if (!info?.isSymbolicLink()) {
      resolved = candidate;
      continue;
    }
    if (++hops > MAX_LINK_HOPS) throw refuse(`more than ${MAX_LINK_HOPS} links in a chain`);
    const next = await readlink(join(root, ...candidate));
    if (next.startsWith('/')) throw refuse(`goes through ${quoteName(candidate.join('/'))}, which points outside the checkout`);
    pending.unshift(...next.split('/'));
  }
  if (isWithin(link.slice(0, -1), resolved)) throw refuse('points to a directory that contains it');
  return resolved;
}

/**
 * Checks every link again once the whole tree is on disk (a later entry can change where an earlier
 * link leads), then asks the kernel: the real path of each existing target must lie under `root`.
 */
export async function verifyLinks(root: string, links: readonly { path: string[]; target: string }[]): Promise<void> {
  const realRoot = await realpath(root);
  for (const link of links) {
    await resolveLinkInside(root, link.path, link.target);
    const real = await realpath(join(root, ...link.path)).catch(() => undefined);
    if (real !== undefined && real !== realRoot && !real.startsWith(realRoot + sep)) {
      throw new SourceRefusedError(`refused symlink ${quoteName(link.path.join('/'))}: points outside the checkout`);
    }
  }
}
