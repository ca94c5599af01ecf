/**
 * The names of executions, derived (never random) so a repeated start cannot run twice
 * (executions.ts). Kept apart from the Step Functions adapter so a task that only names an execution
 * carries no SDK client.
 */
import { createHash } from 'node:crypto';
/** Step Functions allows 80 characters of `[A-Za-z0-9_-]` in a name (and a few more we avoid). */
const NAME_MAX = 80;

/**
 * The execution name of a sync: readable prefix (app, short revision) plus a hash of all three parts.
 * @example executionName('web', '6ccfe74aa1', 'req-1') // 'web-6ccfe74-1f0c…' (at most 80 characters)
 */
export function executionName(app: string, revision: string, request: string): string {
  const hash = createHash('sha256').update(JSON.stringify([app, revision, request])).digest('hex').slice(0, 24);
  const readable = `${app}-${revision.slice(0, 7)}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return `${readable.slice(0, NAME_MAX - hash.length - 1)}-${hash}`;
}

/**
 * The name of the child execution a writer starts for a sync: the sync's id with the writer's fence,
 * so a later writer that runs a request again never collides with an older writer's child (which,
 * under a stale fence, can only fail), and the run (`r1`, …) of a sync that gave its place back to
 * its children (a name is never reused).
 * @example childExecutionName('web-6ccfe74-1f0c…', 7) // 'web-6ccfe74-1f0c…-w7'
 * @example childExecutionName('web-6ccfe74-1f0c…', 7, 2) // 'web-6ccfe74-1f0c…-w7r2'
 */
export function childExecutionName(syncId: string, fence: number, resumes = 0): string {
  const suffix = `-w${fence}${resumes > 0 ? `r${resumes}` : ''}`;
  return `${syncId.slice(0, NAME_MAX - suffix.length)}${suffix}`;
}

/**
 * The name of a writer execution: the cluster and the request sequence that found it idle (or, for
 * the janitor's, the dead writer's fence), so two starts for one cause collapse into one execution.
 * @example writerExecutionName('dev', 12) // 'dev-writer-12'
 */
export function writerExecutionName(cluster: string, seq: number, by?: 'janitor'): string {
  const suffix = `-writer-${seq}${by ? `-${by}` : ''}`;
  return `${cluster.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, NAME_MAX - suffix.length)}${suffix}`;
}

/**
 * The ARN an execution of `stateMachineArn` named `name` has (`arn:…:execution:<machine>:<name>`).
 * @example executionArnOf('arn:aws:states:eu-west-1:1:stateMachine:sync', 'x') // 'arn:aws:states:eu-west-1:1:execution:sync:x'
 */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
