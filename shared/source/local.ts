/**
 * Sources on this machine, for the embedded runtime and the tests: an absolute path or a `file://`
 * URL naming either the root of a Git repository (work tree or bare; read with `git`, committed
 * content only) or a plain directory (revision = content digest, see `local-dir.ts`). Never enabled
 * on Lambda. `allowedRoots` confines which paths an Application may name.
 */
import { mkdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RevisionError, SourceRefusedError, SourceUnavailableError, quoteName } from './errors.ts';
import { callSignal, underDeadline } from './deadline.ts';
import { digestDirectory } from './local-dir.ts';
import { archiveInto, gitText, localGitLookups } from './local-git.ts';
import { checkRevisionSyntax, isFullSha, resolveWith } from './revision.ts';
import { SafeTree } from './safe-tree.ts';
import { resolveLimits, type Checkout, type SourceCallOptions, type SourceLimits, type SourceOptions, type SourceReader } from './types.ts';
import { inWorkDir, makeCheckout } from './workdir.ts';

export interface LocalSourceOptions extends SourceOptions {
  /** Directories under which a local source must lie; default: anywhere. */
  allowedRoots?: string[];
}

type Kind = { kind: 'git' | 'dir'; path: string };

const DIGEST = /^[0-9a-f]{64}$/;

/** Reads local Git repositories and plain directories. */
export class LocalSource implements SourceReader {
  private readonly limits: SourceLimits;

  constructor(private readonly options: LocalSourceOptions = {}) {
    this.limits = resolveLimits(options.limits);
  }

  /** True for `file://` URLs and absolute paths. */
  handles(repoURL: string): boolean {
    return repoURL.startsWith('file://') || isAbsolute(repoURL);
  }

  async resolveRevision(repoURL: string, targetRevision: string, options?: SourceCallOptions): Promise<string> {
    checkRevisionSyntax(targetRevision.trim());
    const signal = callSignal(this.limits, options);
    return underDeadline(signal, `resolving ${targetRevision} in ${repoURL}`, this.limits, async () => {
      const { kind, path } = await this.locate(repoURL, signal);
      if (kind === 'git') return resolveWith(localGitLookups(path, signal), targetRevision, path);
      if (!['', 'HEAD'].includes(targetRevision.trim())) {
        throw new RevisionError(`${path} is a plain directory, not a Git repository: its only revision is HEAD, got ${quoteName(targetRevision)}`);
      }
      return digestDirectory(path, this.limits, signal);
    });
  }

  async checkout(repoURL: string, sha: string, options?: SourceCallOptions): Promise<Checkout> {
    const signal = callSignal(this.limits, options);
    return underDeadline(signal, `checking out ${sha} of ${repoURL}`, this.limits, async () => {
      const { kind, path } = await this.locate(repoURL, signal);
      const valid = kind === 'git' ? isFullSha(sha) : DIGEST.test(sha);
      if (!valid) throw new RevisionError(`checkout of ${path} needs ${kind === 'git' ? 'a full commit SHA' : 'a content digest'}, got ${quoteName(sha)}`);
      if (kind === 'git' && (await localGitLookups(path, signal).commit(sha)) !== sha) {
        throw new SourceUnavailableError(`source unavailable: commit ${sha} not found in ${path}`);
      }
      return inWorkDir(this.options.workRoot, async (root) => {
        const dir = join(root, 'checkout');
        await mkdir(dir, { mode: 0o755 });
        const tree = new SafeTree(dir, this.limits);
        if (kind === 'git') await archiveInto(path, sha, tree, this.limits, signal);
        else await copyDirectory(path, sha, tree, this.limits, signal);
        return makeCheckout(root, dir, sha);
      });
    });
  }

  /** The real path behind `repoURL` and whether it is a Git repository root. */
  private async locate(repoURL: string, signal: AbortSignal): Promise<Kind> {
    if (!this.handles(repoURL)) throw new SourceRefusedError(`not a local source: ${quoteName(repoURL)} (an absolute path or a file:// URL)`);
    const given = repoURL.startsWith('file://') ? fileURLToPath(repoURL) : repoURL;
    const path = await realpath(given).catch(() => undefined);
    if (!path || !(await stat(path)).isDirectory()) throw new SourceUnavailableError(`source unavailable: ${quoteName(given)} is not a directory`);
    const roots = this.options.allowedRoots;
    if (roots && !(await Promise.all(roots.map((r) => realpath(r).catch(() => r)))).some((r) => path === r || path.startsWith(r + sep))) {
      throw new SourceRefusedError(`refused local source ${quoteName(given)}: outside the allowed roots`);
    }
    const isRepo = await gitText(path, ['rev-parse', '--git-dir'], signal);
    return { kind: isRepo === undefined ? 'dir' : 'git', path };
  }
}

async function copyDirectory(path: string, digest: string, tree: SafeTree, limits: SourceLimits, signal: AbortSignal): Promise<void> {
  const copied = await digestDirectory(path, limits, signal, tree);
  await tree.finish();
  if (copied !== digest) throw new SourceUnavailableError(`source unavailable: ${path} changed since revision ${digest.slice(0, 12)} was resolved`);
}
