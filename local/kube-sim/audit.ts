/**
 * The audit log: one entry per API request (not for `/_sim/` controls), in arrival order, so a test
 * can prove the order objects were applied in and which field manager and dry-run mode each write used.
 */

export interface AuditEntry {
  /** RFC 3339 with milliseconds. */
  time: string;
  /** Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection), or the lower-case method for other paths. */
  verb: string;
  group: string;
  version: string;
  /** Plural resource, `''` for non-resource paths such as discovery. */
  resource: string;
  /** `status`, `scale`, … when the request addressed a subresource. */
  subresource?: string;
  namespace: string;
  name: string;
  fieldManager: string;
  /** The client's User-Agent, as Kubernetes' audit events record it (gitwave's writes name the writer's lease there). */
  userAgent: string;
  dryRun: boolean;
  /** HTTP status answered (0 when the connection was dropped by fault injection). */
  code: number;
  /** The request was handled but fault injection cut the connection before the answer (code says what it would have been). */
  answerLost?: boolean;
  /** For PATCH: apply, strategic, merge or json. */
  patchType?: string;
  /** For non-resource requests: the path. */
  path?: string;
}

/** Entries kept before the oldest are dropped (a long benchmark should not grow without bound). */
const LIMIT = 200_000;

export class AuditLog {
  private entries: AuditEntry[] = [];

  record(entry: AuditEntry): void {
    this.entries.push(entry);
    if (this.entries.length > LIMIT) this.entries.splice(0, this.entries.length - LIMIT);
  }

  all(): AuditEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
