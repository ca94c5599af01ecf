/**
 * The source port: what the render step needs from a Git host. One reader turns an Application's
 * `targetRevision` into a full commit SHA, then unpacks exactly that commit into a fresh private
 * directory. Adapters (GitHub tarball API, git over https, a local repository) implement it; the
 * limits below bound every one of them (SECURITY.md §1, §7 rows 14, 16, 17, 21).
 */

/** One commit unpacked into a directory of its own. Call `dispose()` (or use `withCheckout`). */
export interface Checkout {
  /** Absolute path of the unpacked tree; nothing else is in it, and nothing in it points outside. */
  readonly dir: string;
  /** The full commit SHA whose tree this is. */
  readonly sha: string;
  /** Removes the directory and everything in it; safe to call twice. */
  dispose(): Promise<void>;
}

/** Per-call options every reader accepts. */
export interface SourceCallOptions {
  /** Aborts the call early (for example when the Lambda is about to time out). */
  signal?: AbortSignal;
}

/**
 * What the drift sweep needs of a repository: its revisions, never its files. Adapters that only
 * resolve (GitHubRefs, GitHttpRefs) leave the unpacking code, tar and the checkout, out of the
 * drift function's bundle.
 */
export type RevisionResolver = Pick<SourceReader, 'resolveRevision'>;

/** The port the render step uses. */
export interface SourceReader {
  /**
   * The full SHA `targetRevision` names in `repoURL`: `HEAD` (or empty), a full or short SHA,
   * `refs/heads/x`, `refs/tags/x`, any other full ref, or a bare name that is a branch or a tag
   * (never both: that is refused as ambiguous). Throws `SourceUnavailableError` when it names nothing.
   */
  resolveRevision(repoURL: string, targetRevision: string, options?: SourceCallOptions): Promise<string>;
  /** Unpacks commit `sha` (40 hex digits) of `repoURL` into a fresh directory. */
  checkout(repoURL: string, sha: string, options?: SourceCallOptions): Promise<Checkout>;
}

/** Caps on one fetch and one unpacked tree. */
export interface SourceLimits {
  /** Bytes read from the network (compressed) by one call. */
  maxDownloadBytes: number;
  /** Bytes unpacked by one checkout: file contents plus archive headers. */
  maxBytes: number;
  /** Entries (files, directories, symlinks) in one checkout. */
  maxFiles: number;
  /** Bytes of one file. */
  maxFileBytes: number;
  /** Path components of one entry (`a/b/c` is 3). */
  maxDepth: number;
  /** Deadline of one call, from its start to the last byte written, in milliseconds. */
  timeoutMs: number;
}

/**
 * Defaults sized for a manifest repository on a Lambda with the default 512 MB of `/tmp`: a 200 MB
 * file or 50k files are refused (SECURITY.md §7 row 16).
 */
export const DEFAULT_LIMITS: Readonly<SourceLimits> = Object.freeze({
  maxDownloadBytes: 64 * 1024 * 1024,
  maxBytes: 256 * 1024 * 1024,
  maxFiles: 20_000,
  maxFileBytes: 32 * 1024 * 1024,
  maxDepth: 32,
  timeoutMs: 60_000,
});

/** Options shared by every adapter. */
export interface SourceOptions {
  /** Overrides of `DEFAULT_LIMITS`. */
  limits?: Partial<SourceLimits>;
  /** Where fresh checkout directories are made; default `os.tmpdir()`. */
  workRoot?: string;
}

/** The limits with the overrides applied; every value must be a positive number. */
export function resolveLimits(overrides: Partial<SourceLimits> = {}): SourceLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new TypeError(`source limit ${name} must be a positive number`);
  }
  return limits;
}
