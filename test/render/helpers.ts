/**
 * Test helpers for rendering: throw-away directory trees written from a map of files, the fixture
 * repository, the raw `kubectl kustomize` output to compare with, and a kustomize wrapper that counts
 * its runs (it still runs the real kustomize).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { findKustomize, type KustomizeCommand } from '../../shared/render/index.ts';

export const FIXTURE_REPO = resolve(import.meta.dirname, '../fixtures/render/repo');

/** A file's text, or a symlink to `target`. */
export type TreeEntry = string | { symlink: string };

/** Writes `files` under a new temp folder and returns its path. */
export function makeTree(files: Record<string, TreeEntry>): string {
  const root = mkdtempSync(join(tmpdir(), 'gitwave-render-test-'));
  for (const [rel, entry] of Object.entries(files)) {
    const target = join(root, rel);
    mkdirSync(dirname(target), { recursive: true });
    if (typeof entry === 'string') writeFileSync(target, entry);
    else symlinkSync(entry.symlink, target);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** The objects `kubectl kustomize <dir>` prints, decoded. */
export function rawKustomize(dir: string): unknown[] {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return parseAllDocuments(out).map((d) => d.toJS());
}

/** A kustomize command that logs every build (not `version`), then runs the real one. */
export function countingKustomize(dir: string): { command: KustomizeCommand; runs: () => number } {
  const real = findKustomize();
  const log = join(dir, 'runs.log');
  const script = join(dir, 'kustomize-counting.sh');
  writeFileSync(script, `#!/bin/sh\ncase "$*" in *--load-restrictor*) echo run >> '${log}';; esac\nexec '${real.executable}' "$@"\n`);
  chmodSync(script, 0o755);
  writeFileSync(log, '');
  const runs = (): number => execFileSync('cat', [log], { encoding: 'utf8' }).split('\n').filter(Boolean).length;
  return { command: { ...real, executable: script }, runs };
}

/** Names of entries in `dir` that start with `prefix` (left-over scratch folders). */
export function leftovers(dir: string, prefix = 'gitwave-render-'): string[] {
  return readdirSync(dir).filter((name) => name.startsWith(prefix));
}

/** A minimal valid Deployment manifest. */
export function deployment(name: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: app
          image: registry.example.com/${name}:1.0.0${extra}
`;
}

export function configMap(name: string, namespace?: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}data:\n  a: "1"\n`;
}
