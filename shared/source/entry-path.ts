/**
 * Names of entries inside a checkout, checked before anything touches the disk: no absolute path,
 * no `..` component, no NUL, no deeper than the depth cap (CVE-2022-24348, GHSA-g687-f2gx-6wm8).
 * A name is handled as its list of components, never joined and re-split, so no later step can
 * reinterpret it.
 */
import { SourceRefusedError, quoteName } from './errors.ts';

/** Longest entry name accepted, in characters (Linux allows 4096 for a whole path). */
export const MAX_NAME_LENGTH = 1024;

/**
 * The components of entry `name` (`./a//b/` → `['a', 'b']`); `[]` for the root itself.
 * Refuses absolute names, `..` components, NUL characters and names deeper than `maxDepth` (not
 * counting the first `skip` components: an archive's top directory).
 */
export function entryComponents(name: string, maxDepth: number, skip = 0): string[] {
  if (name.length > MAX_NAME_LENGTH) throw refused(name, `is longer than ${MAX_NAME_LENGTH} characters`);
  if (name.includes('\0')) throw refused(name, 'contains a NUL character');
  if (name.startsWith('/') || /^[a-zA-Z]:[\\/]/.test(name)) throw refused(name, 'is an absolute path');
  const parts = name.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw refused(name, 'has a ".." component');
  if (parts.length - skip > maxDepth) throw refused(name, `is nested deeper than ${maxDepth} levels`);
  return parts;
}

/** True when `inner` is `outer` or lies below it (both as components). */
export function isWithin(inner: readonly string[], outer: readonly string[]): boolean {
  return outer.length <= inner.length && outer.every((part, i) => inner[i] === part);
}

function refused(name: string, why: string): SourceRefusedError {
  return new SourceRefusedError(`refused entry ${quoteName(name)}: ${why}`);
}
