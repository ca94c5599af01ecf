// Conformance with Argo CD's own health fixtures (gitops-engine pkg/health/testdata), read in place
// from ../shared/conformance/argo-health: every row of expected.tsv must get the same status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { healthOf } from '../../shared/health/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';
import { join } from 'node:path';
import { CONFORMANCE } from '../helpers/shared-data.ts';

const dir = new URL(`file://${join(CONFORMANCE, 'argo-health')}/`);

function rows(): Array<[string, string]> {
  return readFileSync(new URL('expected.tsv', dir), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t') as [string, string]);
}

describe('argo-health conformance (expected.tsv)', () => {
  const table = rows();
  it('reads a non-trivial table', () => assert.ok(table.length >= 40, `only ${table.length} rows`));
  for (const [file, expected] of table) {
    it(`${file} → ${expected}`, () => {
      // uniqueKeys: false because statefulset-ondelete.yaml repeats a key, which Go's YAML reader accepts.
      const obj = parse(readFileSync(new URL(file, dir), 'utf8'), { uniqueKeys: false }) as KubeObject;
      const got = healthOf(obj);
      assert.equal(got === null ? 'none' : got.status, expected, JSON.stringify(got));
    });
  }
});
