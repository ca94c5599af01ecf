// Work directories: fresh and private per call, and removable whatever modes end up inside
// (GHSA-g687-f2gx-6wm8: files that could not be deleted afterwards).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeWorkDir, removeWorkDir } from '../../shared/source/workdir.ts';

describe('work directories', () => {
  it('are new, distinct and readable only by their owner', async () => {
    const base = mkdtempSync(join(tmpdir(), 'gitwave-test-wd-'));
    try {
      const [a, b] = await Promise.all([makeWorkDir(base), makeWorkDir(base)]);
      assert.notEqual(a, b);
      assert.equal(statSync(a).mode & 0o777, 0o700);
      await removeWorkDir(a);
      await removeWorkDir(a); // missing is fine
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('are removed even when they hold a mode-000 directory that a plain rm cannot enter', (t) => {
    const script = join(import.meta.dirname, 'support', 'remove-locked.ts');
    const asRoot = process.getuid?.() === 0;
    const setpriv = spawnSync('setpriv', ['--version']);
    if (asRoot && setpriv.error) return t.skip('running as root without setpriv: mode 000 cannot be observed');
    const base = mkdtempSync(join(tmpdir(), 'gitwave-test-locked-'));
    chmodSync(base, 0o777);
    try {
      const node = [process.execPath, '--import', 'tsx', script, base];
      const drop = ['--reuid=65534', '--regid=65534', '--clear-groups'];
      const run = asRoot ? spawnSync('setpriv', [...drop, ...node], { encoding: 'utf8', env: { ...process.env, HOME: base } }) : spawnSync(node[0], node.slice(1), { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').pop()!), { plain: 'EACCES', left: false });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
