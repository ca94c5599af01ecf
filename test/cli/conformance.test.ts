/**
 * Conformance with Argo CD's own example applications (../shared/conformance/argocd-example-apps):
 * for every folder, `gitwave plan <folder> --root <examples> --app <Application to namespace default>
 * -o json` lists the tasks of `<name>.expected.txt` in the same order. A generateName hook is written
 * there as its prefix followed by `*`. Kustomize folders go through the real kustomize.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { applicationYaml, EXAMPLES, gitwave, removeWorkingTrees, tempFile } from './helpers.ts';

const folders = readdirSync(EXAMPLES).filter((name) => statSync(join(EXAMPLES, name)).isDirectory()).sort();
const app = tempFile('app.yaml', applicationYaml());
after(removeWorkingTrees);

function matches(expected: string, actual: string): boolean {
  return expected.endsWith('*') ? actual.startsWith(expected.slice(0, -1)) && actual.length > expected.length - 1 : expected === actual;
}

describe('gitwave plan conformance with argocd-example-apps', () => {
  it('covers every example folder', () => {
    assert.deepEqual(folders, ['guestbook', 'helm-hooks', 'kustomize-guestbook', 'pre-post-sync', 'sock-shop', 'sync-waves']);
  });

  for (const folder of folders) {
    it(`${folder}: the same tasks in the same order as ${folder}.expected.txt`, async () => {
      const expected = readFileSync(join(EXAMPLES, `${folder}.expected.txt`), 'utf8').trim().split('\n');
      const run = await gitwave(['plan', join(EXAMPLES, folder), '--root', EXAMPLES, '--app', app, '-o', 'json']);
      assert.equal(run.code, 0, run.stderr);
      const steps = JSON.parse(run.stdout).steps as Array<{ phase: string; wave: number; kind: string; name: string; namespace: string | null }>;
      const actual = steps.map((s) => `${s.phase} ${s.wave} ${s.kind} ${s.name}`);
      assert.equal(actual.length, expected.length, actual.join('\n'));
      expected.forEach((line, i) => assert.ok(matches(line, actual[i]), `step ${i}: expected "${line}", got "${actual[i]}"`));
      assert.ok(steps.every((s) => s.namespace === 'default'));
    });
  }
});
