import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ENV, ConfigError, integerEnv, optionalEnv, requiredEnv } from '../../shared/config/env.ts';
import { FUNCTION_ENV, FUNCTION_KEYS, functionEntry } from '../../shared/lambda/functions.ts';
import { existsSync } from 'node:fs';

describe('shared/config/env', () => {
  it('names every variable by itself, so a name and its key cannot disagree', () => {
    for (const [key, value] of Object.entries(ENV)) assert.equal(key, value);
  });

  it('returns a required variable that is set', () => {
    assert.equal(requiredEnv(ENV.TABLE_NAME, { TABLE_NAME: 'gitwave' }), 'gitwave');
  });

  it('fails fast naming the variable when a required one is missing or blank', () => {
    assert.throws(() => requiredEnv(ENV.QUEUE_URL, {}), (error: unknown) =>
      error instanceof ConfigError && error.message === 'missing environment variable QUEUE_URL');
    assert.throws(() => requiredEnv(ENV.QUEUE_URL, { QUEUE_URL: '  ' }), /missing environment variable QUEUE_URL/);
  });

  it('falls back for optional variables that are unset or empty', () => {
    assert.equal(optionalEnv(ENV.POWERTOOLS_LOG_LEVEL, 'INFO', {}), 'INFO');
    assert.equal(optionalEnv(ENV.POWERTOOLS_LOG_LEVEL, 'INFO', { POWERTOOLS_LOG_LEVEL: '' }), 'INFO');
    assert.equal(optionalEnv(ENV.POWERTOOLS_LOG_LEVEL, 'INFO', { POWERTOOLS_LOG_LEVEL: 'DEBUG' }), 'DEBUG');
    assert.equal(optionalEnv(ENV.GITWAVE_HOME, undefined, {}), undefined);
  });

  it('parses positive integers and names the variable, not the value, when malformed', () => {
    assert.equal(integerEnv(ENV.LOCK_LEASE_SECONDS, 600, {}), 600);
    assert.equal(integerEnv(ENV.LOCK_LEASE_SECONDS, 600, { LOCK_LEASE_SECONDS: '900' }), 900);
    for (const bad of ['0', '-5', '1.5', 'ten']) {
      assert.throws(() => integerEnv(ENV.LOCK_LEASE_SECONDS, 600, { LOCK_LEASE_SECONDS: bad }),
        (error: unknown) => error instanceof ConfigError && !error.message.includes(bad) && error.message.includes('LOCK_LEASE_SECONDS'));
    }
  });
});

describe('shared/lambda/functions', () => {
  it('gives every function an entry file that exists', () => {
    for (const key of FUNCTION_KEYS) assert.ok(existsSync(functionEntry(key)), functionEntry(key));
  });

  it('only lists known variables for each function', () => {
    const known = new Set<string>(Object.values(ENV));
    for (const key of FUNCTION_KEYS) for (const name of FUNCTION_ENV[key]) assert.ok(known.has(name), `${key}: ${name}`);
  });

  it('keeps the render function away from cluster roles and the webhook away from the bucket', () => {
    assert.ok(!FUNCTION_ENV.render.includes(ENV.DEPLOYER_ROLE_PREFIX));
    assert.ok(!FUNCTION_ENV.render.includes(ENV.READER_ROLE_PREFIX));
    assert.ok(!FUNCTION_ENV.webhook.includes(ENV.BUCKET_NAME));
  });
});
