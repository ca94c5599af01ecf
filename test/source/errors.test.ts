// Source errors are safe to log: credentials scrubbed, control characters flattened, length capped.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_ERROR_LENGTH,
  RevisionError,
  SourceError,
  SourceFetchError,
  SourceRefusedError,
  SourceUnavailableError,
  safeMessage,
} from '../../shared/source/index.ts';

describe('safeMessage', () => {
  const cases: [string, string, RegExp][] = [
    ['credentials in a URL', 'GET https://x-access-token:s3cr3tvalue@github.com/o/r failed', /https:\/\/<redacted>@github\.com\/o\/r/],
    ['an Authorization header', 'sent Authorization: Bearer abc.def.ghi123 to host', /Authorization: <redacted> to host/],
    ['a JSON authorization field', '{"authorization":"token abcdef0123456789"}', /"authorization":"<redacted>"/],
    ['a bare bearer token', 'retry with bearer abcdefghijklmnop', /bearer <redacted>/],
    ['a token query parameter', 'https://codeload.github.com/o/r/legacy.tar.gz/x?token=AAAABBBBCCCC&x=1', /\?token=<redacted>&x=1/],
    ['a GitHub token anywhere', 'token ghp_0123456789abcdefABCDEF in text', /<redacted>/],
    ['control characters (a forged log line)', 'file "a\nERROR fake line\r"', /^file "a ERROR fake line "$/],
  ];
  for (const [name, input, expected] of cases) {
    it(`scrubs ${name}`, () => {
      const out = safeMessage(input);
      assert.match(out, expected);
      assert.doesNotMatch(out, /s3cr3tvalue|abc\.def\.ghi123|abcdef0123456789|AAAABBBBCCCC|ghp_0123|\n/);
    });
  }

  it('removes the secrets it is given, wherever they are', () => {
    assert.equal(safeMessage('user pw is hunter2hunter2 ok', ['hunter2hunter2']), 'user pw is <redacted> ok');
  });

  it('cuts long messages to a fixed length', () => {
    const out = safeMessage('x'.repeat(10_000));
    assert.equal(out.length, MAX_ERROR_LENGTH);
    assert.ok(out.endsWith('…'));
  });
});

describe('source error classes', () => {
  it('scrub their message and say whether a retry can help', () => {
    const fetch = new SourceFetchError('GET https://u:topsecret1@h/x failed', ['topsecret1']);
    assert.ok(fetch instanceof SourceError && fetch.retryable);
    assert.equal(fetch.name, 'SourceFetchError');
    assert.ok(!JSON.stringify({ ...fetch, message: fetch.message, stack: fetch.stack }).includes('topsecret1'));
    for (const error of [new SourceUnavailableError('x'), new RevisionError('x'), new SourceRefusedError('x')]) {
      assert.equal(error.retryable, false, error.name);
    }
  });
});
