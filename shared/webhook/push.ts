/**
 * The parts of a GitHub `push` payload gitwave reads. The payload is a hint: it selects registered
 * Applications by repository and exact ref, and nothing in it is ever fetched.
 */
import * as z from 'zod';
import { normalizeRepoURL } from '../model/repo-url.ts';

const pushSchema = z.object({
  ref: z.string().min(1),
  after: z.string().regex(/^[0-9a-f]{40}$/),
  deleted: z.boolean().optional(),
  repository: z.object({
    clone_url: z.string().optional(),
    html_url: z.string().optional(),
    ssh_url: z.string().optional(),
    full_name: z.string().optional(),
  }),
});

/** What a push tells us. `repositoryKeys` are normalised URLs (see normalizeRepoURL). */
export interface PushEvent {
  ref: string;
  sha: string;
  deleted: boolean;
  repositoryKeys: string[];
}

export class PayloadError extends Error {
  override name = 'PayloadError';
}

/** Validates a decoded push payload; throws PayloadError naming the first bad field. */
export function readPushEvent(payload: unknown): PushEvent {
  const parsed = pushSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PayloadError(`push payload: field ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const { ref, after, deleted, repository } = parsed.data;
  const keys = [repository.clone_url, repository.html_url, repository.ssh_url]
    .filter((u): u is string => typeof u === 'string')
    .filter((u) => /^(https?|ssh|git):\/\/|^[^@/\s]+@[^:/\s]+:/.test(u.trim()))
    .map(normalizeRepoURL)
    .filter((k) => k.includes('/'));
  if (keys.length === 0) throw new PayloadError('push payload: field repository: no usable repository url');
  return { ref, sha: after, deleted: deleted === true || /^0{40}$/.test(after), repositoryKeys: [...new Set(keys)] };
}
