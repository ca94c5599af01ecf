/**
 * webhook λ: POST /webhooks/github: verifies and enqueues a GitHub push (SECURITY.md §3).
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import { middifyHttp } from '../shared/lambda/middify.ts';

export const handler = middifyHttp(async () => {
  throw new Error('not implemented: webhook handler');
});
