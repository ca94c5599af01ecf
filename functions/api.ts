/**
 * api λ: the API used by the CLI and the dashboard (IAM-authorised routes).
 * NOT IMPLEMENTED YET: a placeholder so the stack has an entry to bundle. The real handler
 * (parse, call shared/, shape the answer) replaces the body; keep the middify wrapper.
 */
import { middifyHttp } from '../shared/lambda/middify.ts';

export const handler = middifyHttp(async () => {
  throw new Error('not implemented: api handler');
});
