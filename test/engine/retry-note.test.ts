import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TransientClusterError } from '../../shared/kube/index.ts';
import { retryNote } from '../../shared/engine/retry-note.ts';

const NOW = Date.parse('2026-12-05T17:00:00.000Z');

describe('retryNote: what failed and when the client tries again', () => {
  it('names the failure, the time of the next attempt and its number', () => {
    const error = new TransientClusterError('failed to apply deployments.apps team-01/web: the server is currently unable to handle the request', { code: 503, reason: 'ServiceUnavailable' });
    assert.equal(retryNote({ error, attempt: 1, maxAttempts: 6, delayMs: 1500 }, NOW),
      'failed to apply deployments.apps team-01/web: the server is currently unable to handle the request; retrying at 2026-12-05T17:00:01.500Z (attempt 2 of 6)');
  });

  it('leaves the server\'s words out for a Secret (they may quote its data)', () => {
    const error = new TransientClusterError('failed to apply secrets team-01/db: value s3cr3t-token rejected upstream', { code: 500, reason: 'InternalError' });
    const note = retryNote({ error, attempt: 3, maxAttempts: 6, delayMs: 0 }, NOW);
    assert.equal(note, 'failed to apply secrets team-01/db: http 500 InternalError; retrying at 2026-12-05T17:00:00.000Z (attempt 4 of 6)');
    assert.ok(!note.includes('s3cr3t'));
  });
});
