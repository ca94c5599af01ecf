/**
 * shared/source: fetch exactly one commit of a registered repository, safely. Call
 * `createSourceReader(…)` once (outside the handler), then `resolveRevision` before taking any lock
 * and `withCheckout` around the render. See docs/source.md.
 */
export type { Checkout, RevisionResolver, SourceCallOptions, SourceLimits, SourceOptions, SourceReader } from './types.ts';
export { DEFAULT_LIMITS, resolveLimits } from './types.ts';
export {
  MAX_ERROR_LENGTH,
  RevisionError,
  SourceError,
  SourceFetchError,
  SourceRefusedError,
  SourceUnavailableError,
  safeMessage,
} from './errors.ts';
export { createRevisionResolver, createSourceReader, type SourceReaderOptions } from './router.ts';
export { GitHubRefs, type GitHubSourceOptions } from './github.ts';
export { GitHubSource } from './github-source.ts';
export { GitHttpRefs, type GitHttpSourceOptions } from './git-http.ts';
export { GitHttpSource } from './git-http-source.ts';
export { LocalSource, type LocalSourceOptions } from './local.ts';
export { isFullSha, checkRevisionSyntax } from './revision.ts';
export { withCheckout } from './workdir.ts';
export { shareCheckouts } from './shared-checkouts.ts';
