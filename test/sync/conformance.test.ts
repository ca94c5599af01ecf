// Conformance with Argo CD's own example apps: each plain-YAML folder of
// ../shared/conformance/argocd-example-apps, planned against an empty cluster with destination
// namespace `default`, lists the tasks of `<name>.expected.txt` in the same order.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planSync } from '../../shared/sync/plan.ts';
import { toPlanSteps } from '../../shared/sync/steps.ts';
import { loadFolder, settings } from './helpers.ts';
import { CONFORMANCE } from '../helpers/shared-data.ts';

const ROOT = join(CONFORMANCE, 'argocd-example-apps');
const REVISION = '0123456789abcdef';
const STARTED = 1700000000;

/** An expected line's name may end in `*`: a generateName hook, whose suffix depends on the operation. */
function matches(expected: string, actual: string): boolean {
  return expected.endsWith('*') ? actual.startsWith(expected.slice(0, -1)) : expected === actual;
}

describe('conformance: argocd-example-apps (plain YAML folders)', () => {
  for (const name of ['sync-waves', 'helm-hooks', 'guestbook']) {
    it(`plans ${name} in Argo CD's order`, () => {
      // Prepare
      const expected = readFileSync(join(ROOT, `${name}.expected.txt`), 'utf8').trim().split('\n');
      const desired = loadFolder(join(ROOT, name));
      // Act
      const plan = planSync({ desired, live: [], settings: settings({ revision: REVISION, startedAt: STARTED }) });
      const actual = toPlanSteps(plan).map((s) => `${s.phase} ${s.wave} ${s.kind} ${s.name}`);
      // Assess
      assert.deepEqual(plan.errors, []);
      assert.equal(actual.length, expected.length, `steps:\n${actual.join('\n')}`);
      expected.forEach((line, i) => assert.ok(matches(line, actual[i]), `step ${i}: expected "${line}", got "${actual[i]}"`));
    });
  }

  it('names generateName hooks from the revision and the start time', () => {
    const plan = planSync({ desired: loadFolder(join(ROOT, 'sync-waves')), settings: settings({ revision: REVISION, startedAt: STARTED }) });
    assert.equal(toPlanSteps(plan)[0].name, `upgrade-sql-schema0123456-presync-${STARTED}`);
  });
});
