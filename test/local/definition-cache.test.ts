// The local runtime's cache of the synthesized state machine: keyed by a digest of what synthesis
// reads, so a changed source is never served a stale definition; and the Retry intervals scaled
// like the Wait states.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedStateMachineDefinition, scaledRetries, synthesisDigest } from '../../local/definition-cache.ts';

describe('state machine definition cache', () => {
  const root = mkdtempSync(join(tmpdir(), 'gitwave-defcache-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), text);
  };
  write('infra/stack.ts', 'export const a = 1;\n');
  write('shared/config/resources.ts', 'export const b = 2;\n');
  write('shared/other/ignored.ts', 'export const c = 3;\n');
  write('package-lock.json', '{}\n');

  it('the digest follows every synthesis input and nothing else', () => {
    const first = synthesisDigest(root);
    write('shared/other/ignored.ts', 'export const c = 4;\n');
    assert.equal(synthesisDigest(root), first);
    write('infra/stack.ts', 'export const a = 2;\n');
    const second = synthesisDigest(root);
    assert.notEqual(second, first);
    write('package-lock.json', '{"lockfileVersion":3}\n');
    assert.notEqual(synthesisDigest(root), second);
  });

  it('serves the cached definition of the current digest without synthesizing', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'gitwave-defcache-dir-'));
    const cached = { StartAt: 'Cached', States: { Cached: { Type: 'Succeed' } } };
    const writer = { StartAt: 'Writer', States: { Writer: { Type: 'Succeed' } } };
    writeFileSync(join(cache, `gitwave-state-machine-${synthesisDigest(root)}.json`), JSON.stringify({ sync: cached, writer }));
    assert.deepEqual(await cachedStateMachineDefinition(root, cache), cached);
    rmSync(cache, { recursive: true, force: true });
  });

  it('scales each retrier of every state, in branches too', () => {
    const definition = {
      StartAt: 'Try',
      States: {
        Lock: { Type: 'Task', Retry: [{ ErrorEquals: ['A'], IntervalSeconds: 2 }, { ErrorEquals: ['B'], IntervalSeconds: 5 }] },
        Try: { Type: 'Parallel', Branches: [{ StartAt: 'Apply', States: { Apply: { Type: 'Task', Retry: [{ ErrorEquals: ['C'] }] } } }] },
        Done: { Type: 'Succeed' },
      },
    };
    assert.deepEqual(scaledRetries(definition, 0.1), { Lock: [200, 500], Apply: [100] });
  });
});
