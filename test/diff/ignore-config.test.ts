// ignoreDifferences entries gitwave cannot use are refused with an error naming the entry (SPEC-sync §5.4).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DiffConfigError, diffObjects, formatPointer, parsePointer, validateIgnoreDifferences, type IgnoreDifference } from '../../shared/diff/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };

describe('validateIgnoreDifferences', () => {
  const bad: Array<[string, IgnoreDifference[], RegExp]> = [
    ['jq expressions, named by index and group/kind', [{ kind: 'ConfigMap' }, { group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.replicas'] }],
      /^ignoreDifferences\[1\] \(apps\/Deployment\): jqPathExpressions are not supported yet/],
    ['a pointer without a leading slash', [{ kind: 'ConfigMap', jsonPointers: ['/ok', 'data/x'] }], /ignoreDifferences\[0\] \(\/ConfigMap\)\.jsonPointers\[1\]: "data\/x" does not start with "\/"/],
    ['the empty pointer', [{ kind: 'ConfigMap', jsonPointers: [''] }], /jsonPointers\[0\]: the empty pointer/],
    ['a bad escape', [{ kind: 'ConfigMap', jsonPointers: ['/a~2b'] }], /not followed by 0 or 1/],
    ['a missing kind', [{ group: 'apps' } as IgnoreDifference], /ignoreDifferences\[0\]: kind is required/],
    ['managers not a list', [{ kind: 'ConfigMap', managedFieldsManagers: 'kubectl' as unknown as string[] }], /managedFieldsManagers must be a list of strings/],
  ];
  for (const [name, entries, message] of bad) {
    it(`refuses ${name}`, () => {
      assert.throws(() => validateIgnoreDifferences(entries), (err: unknown) => err instanceof DiffConfigError && message.test(err.message));
    });
  }
  it('accepts an empty jq list and good entries', () => {
    assert.doesNotThrow(() => validateIgnoreDifferences([{ kind: 'ConfigMap', jqPathExpressions: [], jsonPointers: ['/data/a~1b'] }]));
  });
  it('diffObjects refuses jq even for entries that match nothing', () => {
    const entries = [{ group: 'apps', kind: 'StatefulSet', jqPathExpressions: ['.x'] }];
    assert.throws(() => diffObjects(cm, cm, { ignoreDifferences: entries }), DiffConfigError);
  });
});

describe('JSON pointers', () => {
  const cases: Array<[string, string[]]> = [
    ['/metadata/labels/app.kubernetes.io~1name', ['metadata', 'labels', 'app.kubernetes.io/name']],
    ['/data/a~0b', ['data', 'a~b']],
    ['/data/~01', ['data', '~1']],
    ['/', ['']],
  ];
  for (const [pointer, tokens] of cases) {
    it(`${pointer} ↔ ${JSON.stringify(tokens)}`, () => {
      assert.deepEqual(parsePointer(pointer), tokens);
      assert.equal(formatPointer(tokens), pointer);
    });
  }
});
