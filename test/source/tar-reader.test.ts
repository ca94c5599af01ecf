// The tar reader behind every checkout (shared/source/tar-reader.ts) on archives GNU tar and git
// write (long names as GNU `L` records and as pax headers, the ustar prefix field, git's global pax
// comment, symlinks, executables), and strict on corrupt ones.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TarReader, type TarEntry } from '../../shared/source/tar-reader.ts';
import { tar, tarHeader } from './support/tar-builder.ts';

const LONG = `${'deep-folder-name/'.repeat(8)}${'f'.repeat(60)}.yaml`; // over 100 characters: a GNU or pax long name, or the ustar prefix

async function read(archive: Buffer, chunk = archive.length): Promise<{ entries: Array<Omit<TarEntry, 'body'> & { text: string }>; ended: boolean }> {
  async function* chunks() {
    for (let at = 0; at < archive.length; at += chunk) yield archive.subarray(at, at + chunk);
  }
  const reader = new TarReader(chunks());
  const entries = [];
  for await (const { body, ...entry } of reader.entries()) {
    const parts: Buffer[] = [];
    for await (const part of body) parts.push(part);
    entries.push({ ...entry, text: Buffer.concat(parts).toString('utf8') });
  }
  return { entries, ended: reader.ended };
}

function tree(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitwave-tar-'));
  mkdirSync(join(dir, 'app', ...LONG.split('/').slice(0, -1)), { recursive: true });
  writeFileSync(join(dir, 'app', LONG), 'long: true\n');
  writeFileSync(join(dir, 'app', 'run.sh'), '#!/bin/sh\n');
  chmodSync(join(dir, 'app', 'run.sh'), 0o755);
  symlinkSync('run.sh', join(dir, 'app', 'link'));
  return dir;
}

describe('tar reader', () => {
  for (const format of ['gnu', 'posix', 'ustar']) {
    it(`reads what GNU tar writes in ${format} format, whole or in 100-byte chunks`, async () => {
      const dir = tree();
      try {
        const archive = execFileSync('tar', ['-c', `--format=${format}`, '-C', dir, 'app']);
        for (const chunk of [archive.length, 100]) {
          const { entries, ended } = await read(archive, chunk);
          assert.ok(ended);
          const byPath = new Map(entries.map((e) => [e.path.replace(/\/$/, ''), e]));
          assert.equal(byPath.get(`app/${LONG}`)?.text, 'long: true\n', format);
          assert.equal(byPath.get('app/run.sh')!.mode & 0o777, 0o755);
          assert.deepEqual([byPath.get('app/link')?.type, byPath.get('app/link')?.linkpath], ['SymbolicLink', 'run.sh']);
          assert.equal(byPath.get('app')?.type, 'Directory');
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('reads git archive output, whose global pax header carries the commit id', async () => {
    const dir = tree();
    try {
      execFileSync('git', ['init', '-q', dir]);
      execFileSync('git', ['-C', dir, 'add', '.']);
      execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@x', 'commit', '-qm', 'x']);
      const { entries, ended } = await read(execFileSync('git', ['-C', dir, 'archive', '--format=tar', '--prefix=top/', 'HEAD']));
      assert.ok(ended);
      assert.equal(entries.find((e) => e.path === `top/app/${LONG}`)?.text, 'long: true\n');
      assert.ok(!entries.some((e) => e.path.includes('pax_global_header')), 'the global header is not an entry');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a size written in base-256 and a pax size over the header', async () => {
    const header = tarHeader({ name: 'big' }, 0);
    header.fill(0, 124, 136);
    header[124] = 0x80;
    header[135] = 3;
    header.write('        ', 148, 8, 'latin1');
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'latin1');
    const archive = Buffer.concat([header, Buffer.from('abc'), Buffer.alloc(509), Buffer.alloc(1024)]);
    assert.deepEqual((await read(archive)).entries.map((e) => [e.path, e.size, e.text]), [['big', 3, 'abc']]);
    const pax = tar([{ name: 'PaxHeader', type: 'x', body: '10 size=2\n' }, { name: 'two', body: 'hi', size: 0 }]);
    assert.deepEqual((await read(pax)).entries.map((e) => [e.path, e.size]), [['two', 2]]);
  });

  it('refuses a corrupt checksum, a malformed pax record and a cut inside an entry, and says when no end marker came', async () => {
    const corrupt = tar([{ name: 'a', body: 'x' }]);
    corrupt[10] ^= 0xff;
    await assert.rejects(read(corrupt), /checksum does not match/);
    await assert.rejects(read(tar([{ name: 'PaxHeader', type: 'x', body: '99 path=x\n' }, { name: 'a' }])), /malformed pax/);
    const whole = tar([{ name: 'a', body: 'x'.repeat(2000) }]);
    await assert.rejects(read(whole.subarray(0, 1000)), /truncated/);
    assert.equal((await read(whole.subarray(0, 512 + 2048))).ended, false);
  });
});
