/**
 * GitHttpSource: GitHttpRefs (./git-http.ts) plus the checkout, a shallow fetch of one commit whose
 * tree is written out through SafeTree. Apart from ./git-http.ts so that what only resolves
 * revisions (the drift sweep) carries no checkout code.
 */
import * as fs from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { RevisionError, quoteName } from './errors.ts';
import { callSignal, underDeadline } from './deadline.ts';
import { GitHttpRefs, mapGitErrors } from './git-http.ts';
import { gitHttpClient } from './git-http-client.ts';
import { writeGitTree } from './git-tree.ts';
import { isFullSha } from './revision.ts';
import { SafeTree } from './safe-tree.ts';
import type { Checkout, SourceCallOptions, SourceReader } from './types.ts';
import { inWorkDir, makeCheckout, removeWorkDir } from './workdir.ts';

/** Reads repositories of any Git smart-HTTP host: revisions by `ls-refs`, a commit by a shallow fetch. */
export class GitHttpSource extends GitHttpRefs implements SourceReader {
  async checkout(repoURL: string, sha: string, options?: SourceCallOptions): Promise<Checkout> {
    const where = this.where(repoURL);
    if (!isFullSha(sha)) throw new RevisionError(`checkout needs a full commit SHA, got ${quoteName(sha)}`);
    const signal = callSignal(this.limits, options);
    return underDeadline(signal, `fetching ${sha} of ${where}`, this.limits, () =>
      inWorkDir(this.options.workRoot, async (root) => {
        const gitdir = join(root, 'objects.git');
        const dir = join(root, 'checkout');
        await mkdir(dir, { mode: 0o755 });
        const http = gitHttpClient(await this.context(repoURL, signal));
        const cache = {};
        await git.init({ fs, gitdir, bare: true, defaultBranch: 'gitwave' });
        await git.addRemote({ fs, gitdir, remote: 'origin', url: repoURL });
        await mapGitErrors(where, () => git.fetch({ fs, http, gitdir, url: repoURL, ref: sha, singleBranch: true, depth: 1, tags: false, cache }));
        const tree = new SafeTree(dir, this.limits);
        await mapGitErrors(where, () => writeGitTree({ fs, gitdir, cache }, sha, tree, this.limits));
        await tree.finish();
        await removeWorkDir(gitdir);
        return makeCheckout(root, dir, sha);
      }),
    );
  }
}
