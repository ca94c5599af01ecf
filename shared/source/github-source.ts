/**
 * GitHubSource: GitHubRefs (./github.ts) plus the checkout, a commit's tarball unpacked through
 * SafeTree. Apart from ./github.ts so that what only resolves revisions (the drift sweep) carries
 * no tar (shared/package.json lets esbuild drop a module nothing uses).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { RevisionError, quoteName } from './errors.ts';
import { callSignal, underDeadline } from './deadline.ts';
import { GitHubRefs } from './github.ts';
import { isFullSha } from './revision.ts';
import { SafeTree } from './safe-tree.ts';
import { extractTar } from './tar-extract.ts';
import type { Checkout, SourceCallOptions, SourceReader } from './types.ts';
import { inWorkDir, makeCheckout } from './workdir.ts';

/** Reads GitHub repositories: revisions through the API, a commit's files as its tarball. */
export class GitHubSource extends GitHubRefs implements SourceReader {
  async checkout(repoURL: string, sha: string, options?: SourceCallOptions): Promise<Checkout> {
    const repo = this.repoOf(repoURL);
    if (!isFullSha(sha)) throw new RevisionError(`checkout needs a full commit SHA, got ${quoteName(sha)}`);
    const signal = callSignal(this.limits, options);
    return underDeadline(signal, `downloading ${sha} of ${this.where(repo)}`, this.limits, () =>
      inWorkDir(this.options.workRoot, async (root) => {
        const dir = join(root, 'checkout');
        await mkdir(dir, { mode: 0o755 });
        const client = await this.client(repo, signal);
        const response = await client.get(`tarball/${sha}`, {}, this.limits.maxDownloadBytes);
        if (response.status !== 200) await client.fail(response, `commit ${sha}`);
        await extractTar(response.body, new SafeTree(dir, this.limits), { gzip: true, stripTopDirectory: true, limits: this.limits });
        return makeCheckout(root, dir, sha);
      }),
    );
  }
}
