/**
 * Errors of the source adapters. The class says what the caller should do: `SourceUnavailableError`
 * (the revision or repository is not there: stop, report "source unavailable"), `RevisionError` (the
 * Application's `targetRevision` is invalid or ambiguous: the user must fix it), `SourceRefusedError`
 * (the content broke a safety rule or a cap: never retry), `SourceFetchError` (transport failure or
 * deadline: retry with backoff). Every message goes through `safeMessage`, so it is cut to a fixed
 * length and holds no credentials (GHSA-h6h5-6fmq-rh28, GHSA-mv6w-j4xc-qpfw); no error keeps a raw
 * `cause`, whose text could hold a URL with a token.
 */

/** Longest message an error of this module carries. */
export const MAX_ERROR_LENGTH = 400;

/** Base class; `retryable` tells a handler whether backing off can help. */
export class SourceError extends Error {
  override name = 'SourceError';
  readonly retryable: boolean = false;
  constructor(message: string, secrets: readonly string[] = []) {
    super(safeMessage(message, secrets));
  }
}

/** The repository, ref or commit does not exist (or no longer: a SHA gone after a force-push). */
export class SourceUnavailableError extends SourceError {
  override name = 'SourceUnavailableError';
}

/** The `targetRevision` is malformed, or a bare name is both a branch and a tag. */
export class RevisionError extends SourceError {
  override name = 'RevisionError';
}

/** The content broke a rule: a cap, a path leaving the checkout, a forbidden entry type. */
export class SourceRefusedError extends SourceError {
  override name = 'SourceRefusedError';
}

/** The host could not be reached, answered with a server error, or the deadline passed. */
export class SourceFetchError extends SourceError {
  override name = 'SourceFetchError';
  override readonly retryable = true;
}

const SCRUBBERS: [RegExp, string][] = [
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1<redacted>@'], // https://user:token@host
  [/\b(authorization|proxy-authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]+(\s+[^\s"',}]+)?/gi, '$1$2<redacted>'],
  [/\b(bearer|token|basic)\s+[a-z0-9._~+/=-]{8,}/gi, '$1 <redacted>'],
  [/([?&](?:token|access_token|private_token|sig|signature|x-amz-[a-z-]+)=)[^&\s#"']*/gi, '$1<redacted>'],
  [/\b(gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{16,})/g, '<redacted>'],
];

/**
 * `text` safe to show: known secrets and credential-looking parts replaced by `<redacted>`, control
 * characters turned into spaces (a file name cannot forge a log line), cut to `maxLength`.
 * @example safeMessage('GET https://x:ghp_abc@h/r failed') // 'GET https://<redacted>@h/r failed'
 */
export function safeMessage(text: string, secrets: readonly string[] = [], maxLength = MAX_ERROR_LENGTH): string {
  let out = String(text);
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('<redacted>');
  for (const [pattern, replacement] of SCRUBBERS) out = out.replace(pattern, replacement);
  // eslint-disable-next-line no-control-regex
  out = out.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}

/** A name from an archive or a ref, quoted and shortened for a message. */
export function quoteName(name: string, maxLength = 120): string {
  const short = name.length > maxLength ? `${name.slice(0, maxLength - 1)}…` : name;
  return JSON.stringify(short);
}

/** The message of any thrown value, for wrapping into a `SourceError` (scrubbed by its constructor). */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${code && !error.message.includes(code) ? `${code} ` : ''}${error.message}${cause}`;
  }
  return String(error);
}
