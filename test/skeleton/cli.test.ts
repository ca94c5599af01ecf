// The `gitwave` bin runs from a fresh install on Node 22 and maps usage errors to exit code 2.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

function gitwave(...args: string[]) {
  return spawnSync(process.execPath, ['cli/bin.js', ...args], { encoding: 'utf8' });
}

describe('gitwave bin', () => {
  it('prints help and exits 0', () => {
    const run = gitwave('--help');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /Usage: gitwave/);
  });

  it('answers an unknown command with exit code 2', () => {
    const run = gitwave('no-such-verb');
    assert.equal(run.status, 2);
    assert.match(run.stderr, /unknown command/);
  });

  it('refuses a Node older than 22 with a message that says what to do', () => {
    const run = spawnSync('/usr/bin/node', ['cli/bin.js', '--help'], { encoding: 'utf8' });
    if (run.error) return; // no system node on this machine: nothing to check
    if (/^v2[2-9]/.test(spawnSync('/usr/bin/node', ['-v'], { encoding: 'utf8' }).stdout)) return;
    assert.equal(run.status, 1);
    assert.match(run.stderr, /needs Node\.js 22/);
  });
});
