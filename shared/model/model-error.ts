/**
 * The one error type for bad user input in the model: an Application, AppProject or Cluster that does
 * not parse or validate. It names the file, the object (kind/name) and the field path, so a person can
 * go straight to the line to fix; `gitwave lint`, `gitwave plan` (exit code 1) and the api λ (400) show
 * its message as it is.
 */

/** One problem found in a document: the field path (`spec.source.helm`) and what is wrong with it. */
export interface ModelIssue {
  /** Dotted path from the document root, array items as `[i]`; "" for the document itself. */
  field: string;
  /** Lowercase, Flux-style reason, no secrets. */
  message: string;
  /** 1-based line in the file, when the document came from YAML text and the field has a position. */
  line?: number;
}

/**
 * A document that is not a valid gitwave model object. `field` and `reason` are the first issue;
 * `issues` holds every issue found (validation does not stop at the first one).
 * @example
 * new ModelError('apps/web.yaml', 'Application/web', [{ field: 'spec.source.helm', message: 'Helm sources are not supported yet' }])
 *   .message // 'apps/web.yaml: Application/web: spec.source.helm: Helm sources are not supported yet'
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly file: string;
  /** `Kind/name` of the object, or the kind alone when the name is missing. */
  readonly object: string;
  readonly field: string;
  readonly reason: string;
  readonly issues: readonly ModelIssue[];

  constructor(file: string, object: string, issues: ModelIssue[], options?: { cause?: unknown }) {
    const all = issues.length > 0 ? issues : [{ field: '', message: 'invalid document' }];
    super(all.map((issue) => describeIssue(file, object, issue)).join('\n'), options);
    this.file = file;
    this.object = object;
    this.field = all[0].field;
    this.reason = all[0].message;
    this.issues = all;
  }
}

function describeIssue(file: string, object: string, issue: ModelIssue): string {
  const where = issue.line === undefined ? file : `${file}:${issue.line}`;
  const field = issue.field === '' ? '' : `${issue.field}: `;
  return `${where}: ${object}: ${field}${issue.message}`;
}

