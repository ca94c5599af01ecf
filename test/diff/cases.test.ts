// One case per normalisation (SPEC-sync §5.3) and ignoreDifferences rule (§5.4), from the YAML case
// lists in test/fixtures/diff: each says whether the diff is modified and exactly which paths changed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { diffObjects, type DiffOptions } from '../../shared/diff/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

interface Case {
  name: string;
  options?: DiffOptions;
  predicted: KubeObject | null;
  live: KubeObject | null;
  expect: { modified: boolean; paths: string[] };
}

const dir = new URL('../fixtures/diff/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('diff cases', () => {
  it('has case files', () => assert.ok(files.length >= 2));
  for (const file of files) {
    describe(file, () => {
      for (const c of parse(readFileSync(new URL(file, dir), 'utf8')) as Case[]) {
        it(c.name, () => {
          const before = JSON.stringify([c.predicted, c.live]);
          const result = diffObjects(c.predicted, c.live, c.options);
          assert.equal(result.modified, c.expect.modified, JSON.stringify(result.changes));
          assert.deepEqual(result.changes.map((ch) => ch.path), c.expect.paths);
          assert.equal(JSON.stringify([c.predicted, c.live]), before, 'inputs are not changed');
        });
      }
    });
  }
});
