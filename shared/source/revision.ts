/**
 * How a `targetRevision` names a commit, the same for every adapter. Each adapter supplies three
 * exact look-ups (a full ref name, a commit id or prefix, HEAD); this module decides which to ask
 * and in what order. Rules, chosen for exactness (SECURITY.md §7 row 12):
 * - `''` or `HEAD` → the repository's HEAD (its default branch).
 * - 40 hex digits → that commit.
 * - `refs/…` → exactly that ref (`refs/heads/x`, `refs/tags/x`, `refs/pull/1/head`); tags peeled.
 * - a bare name → `refs/heads/<name>` or `refs/tags/<name>`; when both exist it is refused as
 *   ambiguous (unlike Argo CD, which picks one) and the message says how to choose.
 * - otherwise 4–39 hex digits → the commit with that prefix.
 * Nothing matched → `SourceUnavailableError` ("source unavailable").
 */
import { RevisionError, SourceUnavailableError, quoteName } from './errors.ts';

/** Exact look-ups an adapter answers; `undefined` means "no such thing". */
export interface RevisionLookups {
  /** The commit a full ref (`refs/heads/x`) points to, annotated tags peeled. */
  ref(fullName: string): Promise<string | undefined>;
  /** The full SHA of a commit given by its full SHA or a unique prefix. */
  commit(shaOrPrefix: string): Promise<string | undefined>;
  /** The commit HEAD points to. */
  head(): Promise<string | undefined>;
}

const FULL_SHA = /^[0-9a-f]{40}$/;
const SHORT_SHA = /^[0-9a-f]{4,39}$/;

/** True for a full lowercase SHA-1. */
export function isFullSha(text: string): boolean {
  return FULL_SHA.test(text);
}

/**
 * Refuses what `git check-ref-format` refuses, plus anything that could be read as an option
 * (a leading `-`), so no revision can turn into a command-line flag or a path outside `refs/`.
 */
export function checkRevisionSyntax(revision: string): void {
  const bad = (why: string) => new RevisionError(`invalid targetRevision ${quoteName(revision)}: ${why}`);
  if (revision.length > 255) throw bad('longer than 255 characters');
  if (revision.startsWith('-')) throw bad('must not start with "-"');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(revision)) throw bad('contains a space, a control character or one of ~^:?*[\\');
  if (revision.includes('..') || revision.includes('@{') || revision.includes('//')) throw bad('contains "..", "@{" or "//"');
  if (/(^|\/)\.|\.lock(\/|$)|\/$|\.$/.test(revision)) throw bad('has a component starting with "." or ending in ".lock", or ends in "/" or "."');
  if (revision === '@') throw bad('"@" alone is not a revision');
}

/** The full SHA `revision` names, by the rules in this module's header. */
export async function resolveWith(lookups: RevisionLookups, revision: string, where: string): Promise<string> {
  const trimmed = revision.trim();
  const rev = FULL_SHA.test(trimmed.toLowerCase()) ? trimmed.toLowerCase() : trimmed;
  checkRevisionSyntax(rev);
  const found = await lookup(lookups, rev, where);
  if (!found) throw new SourceUnavailableError(`source unavailable: revision ${quoteName(rev)} not found in ${where}`);
  if (!isFullSha(found)) throw new SourceUnavailableError(`source unavailable: ${where} answered ${quoteName(found)} for ${quoteName(rev)}, not a commit SHA`);
  return found;
}

async function lookup(lookups: RevisionLookups, rev: string, where: string): Promise<string | undefined> {
  if (rev === '' || rev === 'HEAD') return lookups.head();
  if (FULL_SHA.test(rev)) return lookups.commit(rev);
  if (rev.startsWith('refs/')) return lookups.ref(rev);
  const [branch, tag] = await Promise.all([lookups.ref(`refs/heads/${rev}`), lookups.ref(`refs/tags/${rev}`)]);
  if (branch && tag) {
    throw new RevisionError(
      `ambiguous targetRevision ${quoteName(rev)} in ${where}: both a branch and a tag have this name; ` +
        `write refs/heads/${rev} or refs/tags/${rev}`,
    );
  }
  if (branch || tag) return branch ?? tag;
  if (SHORT_SHA.test(rev)) {
    const full = await lookups.commit(rev);
    return full && full.startsWith(rev) ? full : undefined;
  }
  return undefined;
}
