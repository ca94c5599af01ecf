/**
 * The render's one error type. A render fails for bad input (malformed YAML, a duplicate object, a
 * refused path or remote base, a kustomize failure), and a person must be able to go to the line:
 * every problem names a file (relative to the render root) and, when known, a line.
 *
 * Messages are sanitised before they leave: cut to a fixed length, absolute scratch paths turned
 * into relative ones, credentials in URLs and control characters removed (GHSA-h6h5-6fmq-rh28).
 * Messages never quote a file's bytes.
 */

/** One thing wrong with the input. */
export interface RenderProblem {
  /** Path relative to the render root (`/`-separated), or "" when the problem is not about one file. */
  file: string;
  /** 1-based line, when known. */
  line?: number;
  /** Lowercase, Flux-style reason. */
  message: string;
}

/** Longest message kept from a problem (kustomize can echo large inputs). */
export const MAX_PROBLEM_MESSAGE = 400;

/**
 * A render that failed because of its input. `problems` holds every problem found (a directory
 * render reports every malformed file, not just the first).
 * @example new RenderError([{ file: 'api/x.yaml', line: 3, message: 'tabs are not allowed as indentation' }]).message
 *   // 'api/x.yaml:3: tabs are not allowed as indentation'
 */
export class RenderError extends Error {
  override readonly name = 'RenderError';
  readonly problems: readonly RenderProblem[];

  constructor(problems: RenderProblem[], options?: { cause?: unknown }) {
    const clean = problems.map((p) => ({ ...p, message: sanitizeMessage(p.message) }));
    super(clean.map(describeProblem).join('\n'), options);
    this.problems = clean;
  }
}

/** `file:line: message` (or without the parts that are unknown). */
export function describeProblem(problem: RenderProblem): string {
  const where = problem.file === '' ? '' : problem.line === undefined ? `${problem.file}: ` : `${problem.file}:${problem.line}: `;
  return `${where}${problem.message}`;
}

/** A one-problem RenderError. */
export function renderError(file: string, message: string, line?: number): RenderError {
  return new RenderError([{ file, line, message }]);
}

/**
 * A message fit to show: credentials in URLs and bearer tokens removed, absolute paths under the
 * given roots made relative, control characters dropped, cut to MAX_PROBLEM_MESSAGE characters.
 */
export function sanitizeMessage(message: string, roots: readonly string[] = []): string {
  let text = message;
  for (const root of roots) {
    if (root.length > 1) text = text.split(`${root}/`).join('').split(root).join('.');
  }
  text = text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1<redacted>@')
    .replace(/(authorization:\s*)(bearer|basic|token)\s+\S+/gi, '$1$2 <redacted>')
    .replace(/AWS_[A-Z_]*=\S+/g, '<redacted>')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return text.length > MAX_PROBLEM_MESSAGE ? `${text.slice(0, MAX_PROBLEM_MESSAGE - 1)}…` : text;
}
