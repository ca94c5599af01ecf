// The readable diff: one line per changed path.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjects, formatChange, formatChanges } from '../../shared/diff/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

describe('formatChanges', () => {
  it('marks additions, removals and replacements', () => {
    const predicted: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: '2' } };
    const live: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '0', c: '3' } };
    assert.equal(formatChanges(diffObjects(predicted, live).changes), [
      '~ /data/a: "0" → "1"',
      '+ /data/b: "2"',
      '- /data/c: "3"',
    ].join('\n'));
  });
  it('names the whole object when one side is absent', () => {
    assert.match(formatChange({ path: '', op: 'remove', live: { kind: 'ConfigMap' } }), /^- \(whole object\): /);
  });
  it('shortens long values', () => {
    const line = formatChange({ path: '/x', op: 'add', predicted: 'y'.repeat(500) });
    assert.ok(line.length < 200 && line.endsWith('…'));
  });
  it('is empty without changes', () => assert.equal(formatChanges([]), ''));
});
