/**
 * Renders of one commit share its checkout. A push to a shared base renders every Application of the
 * repository at the same commit, and unpacking the whole tree once per Application was most of a
 * render's work (`npm run bench many-apps`). The tree is only read (a render copies what kustomize or
 * helm needs into its own scratch folder, shared/render/scratch.ts), and one repository's one commit is
 * the same bytes for every Application that names it, so sharing it shows a render nothing it could not
 * read anyway (GHSA-6jqw-jwf5-rp8h is about different repositories, which never share).
 *
 * Renders asking at once wait for one download. The checkouts last released stay (`keepIdle`, default
 * 1: a warm Lambda renders app after app of one push); older idle ones are removed. A failed checkout is
 * never kept: the next render tries again.
 */
import type { Checkout, SourceCallOptions, SourceReader } from './types.ts';

interface Shared {
  ready: Promise<Checkout>;
  users: number;
}

/** `reader` whose checkouts of the same repository and commit are shared while in use, and kept a while. */
export function shareCheckouts(reader: SourceReader, keepIdle = 1): SourceReader {
  // In release order, oldest first: a release moves its entry to the end.
  const entries = new Map<string, Shared>();

  const evictIdle = async (): Promise<void> => {
    const idle = [...entries].filter(([, entry]) => entry.users === 0);
    const evicted = idle.slice(0, Math.max(0, idle.length - keepIdle));
    // Out of the map before the first await, so no render can pick up a checkout being removed.
    for (const [key] of evicted) entries.delete(key);
    for (const [, entry] of evicted) await (await entry.ready).dispose();
  };

  const checkout = async (repoURL: string, sha: string, options?: SourceCallOptions): Promise<Checkout> => {
    const key = `${repoURL}\n${sha}`;
    let entry = entries.get(key);
    if (!entry) {
      // The first caller's signal bounds the shared download (one Lambda runs one render at a time).
      const created: Shared = { ready: reader.checkout(repoURL, sha, options), users: 0 };
      created.ready.catch(() => { if (entries.get(key) === created) entries.delete(key); });
      entries.set(key, created);
      entry = created;
    }
    const shared = entry;
    shared.users += 1;
    let inner: Checkout;
    try {
      inner = await shared.ready;
    } catch (error) {
      shared.users -= 1;
      throw error;
    }
    let released: Promise<void> | undefined;
    return {
      dir: inner.dir,
      sha: inner.sha,
      dispose: () => (released ??= (async () => {
        shared.users -= 1;
        if (entries.get(key) === shared) {
          entries.delete(key);
          entries.set(key, shared);
        }
        await evictIdle();
      })()),
    };
  };

  return { resolveRevision: reader.resolveRevision.bind(reader), checkout };
}
