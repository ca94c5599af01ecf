// Who a dashboard user is, from the JWT claims API Gateway's authoriser passes on: the name shown in
// history, and whether they may write (deployer or admin group) or only read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { groupsOf, jwtCaller, requireWriter } from '../../shared/api/http.ts';
import { HttpError } from '../../shared/lambda/errors.ts';

test('reads a groups claim in every shape issuers and API Gateway give it', () => {
  assert.deepEqual(groupsOf('[deployer admin]'), ['deployer', 'admin']);
  assert.deepEqual(groupsOf('["deployer","admin"]'), ['deployer', 'admin']);
  assert.deepEqual(groupsOf(['admin', 3]), ['admin']);
  assert.deepEqual(groupsOf('deployer, viewer'), ['deployer', 'viewer']);
  assert.deepEqual(groupsOf(undefined), []);
  assert.deepEqual(groupsOf('[deployer'), ['deployer']);
});

test('only the deployer and admin groups write; admin also administers', () => {
  assert.deepEqual(jwtCaller({ sub: 's', email: 'vera@acme.io', groups: '[viewers]' }), { username: 'vera@acme.io', admin: false, readOnly: true });
  assert.deepEqual(jwtCaller({ sub: 's', 'cognito:username': 'dan', 'cognito:groups': '[deployer]' }), { username: 'dan', admin: false, readOnly: false });
  assert.deepEqual(jwtCaller({ sub: 's-3', groups: ['admin'] }), { username: 's-3', admin: true, readOnly: false });
  assert.equal(jwtCaller({}).username, 'unknown user');
  const viewer = jwtCaller({ sub: 'v' });
  requireWriter(viewer, 'GET');
  assert.throws(() => requireWriter(viewer, 'DELETE'), (e: HttpError) => e.statusCode === 403 && /v may only read: DELETE needs the deployer or admin group/.test(e.message));
});
