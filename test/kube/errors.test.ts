import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClusterAuthError,
  DryRunRefusedError,
  errorForNetwork,
  errorForResponse,
  isTypeNotFound,
  NamespaceNotFoundError,
  retryAfterMs,
  TerminalClusterError,
  TransientClusterError,
} from '../../shared/kube/errors.ts';

const what = 'apply deployments.apps team/web';

describe('errorForResponse (SECURITY.md §6)', () => {
  const cases: Array<[string, number, object, new (...a: never[]) => Error]> = [
    ['400 malformed', 400, { reason: 'BadRequest', message: 'bad patch' }, TerminalClusterError],
    ['401 after refresh', 401, { reason: 'Unauthorized', message: 'Unauthorized' }, ClusterAuthError],
    ['403 forbidden', 403, { reason: 'Forbidden', message: 'deployments.apps is forbidden' }, TerminalClusterError],
    ['404 namespace', 404, { reason: 'NotFound', message: 'namespaces "team" not found', details: { name: 'team', kind: 'namespaces' } }, NamespaceNotFoundError],
    ['409 stale update', 409, { reason: 'Conflict', message: 'the object has been modified' }, TransientClusterError],
    ['413 too large', 413, { message: 'request entity too large' }, TerminalClusterError],
    ['422 invalid', 422, { reason: 'Invalid', message: 'field is immutable' }, TerminalClusterError],
    ['429 throttled', 429, { reason: 'TooManyRequests' }, TransientClusterError],
    ['500 webhook', 500, { message: 'Internal error occurred: failed calling webhook "v.example.com"' }, TransientClusterError],
    ['503 unavailable', 503, { reason: 'ServiceUnavailable' }, TransientClusterError],
    ['504 timeout', 504, { reason: 'Timeout' }, TransientClusterError],
  ];
  for (const [name, code, body, type] of cases) {
    it(`classifies ${name} as ${type.name}`, () => {
      const err = errorForResponse(what, code, body);
      assert.ok(err instanceof type, `${err.name}: ${err.message}`);
      assert.equal(err.code, code);
      assert.match(err.message, /^failed to apply deployments\.apps team\/web: /);
    });
  }

  it('keeps the webhook name in the message of a 500', () => {
    assert.match(errorForResponse(what, 500, { message: 'failed calling webhook "v.example.com": x' }).message, /v\.example\.com/);
  });

  it('carries Retry-After of a 429 as milliseconds', () => {
    const err = errorForResponse(what, 429, {}, '3') as TransientClusterError;
    assert.equal(err.retryAfterMs, 3000);
  });

  it('treats a webhook refusing a dry run as unknown, not failure', () => {
    const err = errorForResponse('dry-run configmaps a/b', 400, { message: 'admission webhook "x" does not support dry run' }, undefined, true);
    assert.ok(err instanceof DryRunRefusedError);
  });

  it('falls back to the http status when the body says nothing', () => {
    assert.equal(errorForResponse(what, 502, undefined).message, 'failed to apply deployments.apps team/web: http 502');
  });
});

describe('retryAfterMs', () => {
  it('reads seconds, an HTTP date, or the Status detail', () => {
    assert.equal(retryAfterMs('2'), 2000);
    assert.equal(retryAfterMs('Wed, 21 Oct 2015 07:28:05 GMT', undefined, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')), 5000);
    assert.equal(retryAfterMs(undefined, { details: { retryAfterSeconds: 1 } }), 1000);
    assert.equal(retryAfterMs(undefined), undefined);
  });
});

describe('isTypeNotFound', () => {
  it('tells an unknown resource type from a missing object', () => {
    assert.equal(isTypeNotFound({ reason: 'NotFound', message: 'the server could not find the requested resource' }), true);
    assert.equal(isTypeNotFound({ reason: 'NotFound', message: 'configmaps "x" not found', details: { name: 'x', kind: 'configmaps' } }), false);
  });
});

describe('errorForNetwork', () => {
  it('names resets and timeouts in lowercase, as transient', () => {
    const reset = errorForNetwork('get configmaps a/b', Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } }));
    assert.ok(reset instanceof TransientClusterError);
    assert.equal(reset.message, 'failed to get configmaps a/b: connection reset');
    const timeout = errorForNetwork('get configmaps a/b', Object.assign(new Error('x'), { name: 'TimeoutError' }));
    assert.equal(timeout.message, 'failed to get configmaps a/b: request timed out');
  });
});
