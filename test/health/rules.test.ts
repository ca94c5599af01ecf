// One case per built-in rule of SPEC-sync §4.2: the fixtures in test/fixtures/health hold one YAML
// document per rule, each naming the status (and part of the message) it expects.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { healthOf } from '../../shared/health/index.ts';
import type { KubeObject } from '../../shared/model/object.ts';

const dir = new URL('../fixtures/health/', import.meta.url);
const EXPECT = 'expect.gitwave.dev/health';
const EXPECT_MESSAGE = 'expect.gitwave.dev/message';

function fixtures(file: string): KubeObject[] {
  return parseAllDocuments(readFileSync(new URL(file, dir), 'utf8')).map((d) => d.toJS() as KubeObject);
}

const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('built-in health rules', () => {
  it('has fixtures', () => assert.ok(files.length >= 8));
  for (const file of files) {
    describe(file, () => {
      for (const obj of fixtures(file)) {
        const expected = obj.metadata.annotations?.[EXPECT];
        const message = obj.metadata.annotations?.[EXPECT_MESSAGE];
        it(`${obj.apiVersion} ${obj.kind} ${obj.metadata.name} → ${expected}`, () => {
          assert.ok(expected, 'fixture names its expected health');
          const got = healthOf(obj);
          assert.equal(got === null ? 'none' : got.status, expected, JSON.stringify(got));
          if (message) assert.ok(got?.message?.includes(message), `message ${JSON.stringify(got?.message)} lacks "${message}"`);
        });
      }
    });
  }
});
