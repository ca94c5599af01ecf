// No Secret value appears in anything the diff shows to people (SECURITY.md rows on GHSA-47g2-qmh2-749v,
// GHSA-fp89-h8pj-8894, GHSA-rg3g-4rw9-gqrp): data, stringData, bad base64 and the last-applied annotation.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { diffObjects, formatChanges, maskSecret, REDACTED, type DiffResult } from '../../shared/diff/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const secret = (fields: Record<string, unknown>, annotations?: Record<string, string>): KubeObject =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'ns', ...(annotations ? { annotations } : {}) }, ...fields });

/** Everything a person could see of a diff: the objects, the changes and the text. */
function shown(result: DiffResult): string {
  return JSON.stringify(result) + '\n' + formatChanges(result.changes);
}

function assertHidden(text: string, values: string[]): void {
  for (const v of values) {
    assert.ok(!text.includes(v), `a secret value leaked: ${JSON.stringify(v)} in ${text.slice(0, 400)}`);
  }
}

describe('secret masking', () => {
  const pw = 'hunter2-very-secret';
  const other = 'correct-horse-battery';
  const scenarios: Array<[string, KubeObject | null, KubeObject | null]> = [
    ['changed data value', secret({ data: { pw: b64(pw) } }), secret({ data: { pw: b64(other) } })],
    ['added and removed keys', secret({ data: { a: b64(pw) } }), secret({ data: { b: b64(other) } })],
    ['stringData on the predicted side', secret({ stringData: { pw } }), secret({ data: { pw: b64(other) } })],
    ['bad base64', secret({ data: { pw: `%%${pw}%%` } }), secret({ data: { pw: `not base64 ${other}` } })],
    ['data that is not a map', secret({ data: pw }), secret({ data: { pw: b64(other) } })],
    ['stringData that is not a map', secret({ stringData: [pw] }), secret({ data: { x: b64(other) } })],
    ['last-applied annotation', secret({ data: { pw: b64(pw) } }), secret({ data: { pw: b64(pw) } }, { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { pw: other } }) })],
    ['missing live', secret({ stringData: { pw } }), null],
    ['extraneous live', null, secret({ data: { pw: b64(other) }, stringData: { pw } })],
  ];
  for (const [name, predicted, live] of scenarios) {
    it(`hides values: ${name}`, () => {
      const result = diffObjects(predicted, live);
      assertHidden(shown(result), [pw, other, b64(pw), b64(other)]);
      assert.ok(shown(result).includes('<redacted'), 'the masked values are still shown as redacted');
    });
  }

  it('still tells which keys changed, without their values', () => {
    const result = diffObjects(secret({ data: { same: b64(pw), changed: b64(pw) } }), secret({ data: { same: b64(pw), changed: b64(other) } }));
    assert.equal(result.modified, true);
    assert.deepEqual(result.changes, [{ path: '/data/changed', op: 'replace', predicted: '<redacted:desired>', live: '<redacted:live>' }]);
    assert.deepEqual(result.normalizedLive?.data, { same: REDACTED, changed: '<redacted:live>' });
  });

  it('compares the real values: equal Secrets are not modified', () => {
    assert.equal(diffObjects(secret({ stringData: { pw } }), secret({ data: { pw: b64(pw) } })).modified, false);
  });

  it('maskSecret hides data, stringData and last-applied, and leaves other kinds alone', () => {
    const masked = maskSecret(secret({ data: { a: b64(pw) }, stringData: { b: pw } }, { 'kubectl.kubernetes.io/last-applied-configuration': pw, other: 'kept' }));
    assert.deepEqual(masked.data, { a: REDACTED });
    assert.deepEqual(masked.stringData, { b: REDACTED });
    assert.deepEqual(masked.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': REDACTED, other: 'kept' });
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: pw } };
    assert.equal(maskSecret(cm), cm);
  });

  it('property: no generated value ever shows, whatever the two sides hold', () => {
    const value = fc.string({ minLength: 1, maxLength: 30 }).map((s) => `Q7zSECRET${s}`);
    const side = fc.record({
      data: fc.option(fc.dictionary(fc.constantFrom('a', 'b', 'c'), fc.oneof(value.map(b64), value, fc.constant(null))), { nil: undefined }),
      stringData: fc.option(fc.dictionary(fc.constantFrom('a', 'd'), value), { nil: undefined }),
      lastApplied: fc.option(value, { nil: undefined }),
    });
    fc.assert(fc.property(side, side, (p, l) => {
      const make = (s: typeof p): KubeObject => secret(
        { ...(s.data ? { data: s.data } : {}), ...(s.stringData ? { stringData: s.stringData } : {}) },
        s.lastApplied ? { 'kubectl.kubernetes.io/last-applied-configuration': s.lastApplied } : undefined,
      );
      const text = shown(diffObjects(make(p), make(l))) + JSON.stringify(maskSecret(make(p)));
      return !text.includes('Q7zSECRET') && !/UTd6U0VDUkVU/.test(text);
    }), { numRuns: 200 });
  });
});
